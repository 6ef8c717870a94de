package io.gancluster.launcher;

import io.gancluster.core.model.recipe.Preset;
import io.gancluster.runtime.networkservice.NetworkServiceOptions;
import io.vertx.core.Deployable;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.function.Function;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A network service as its own process; subclasses say which one and its default ports. */
abstract class ServeNetworkCommand implements Callable<Integer> {
  /** The top-level command: this process's security settings. */
  @picocli.CommandLine.ParentCommand
  Gan gan;

  @Mixin
  NetworkServiceArgs args;

  // No defaultValue: picocli takes the value each subclass's constructor sets as the default, help included.
  @Option(names = "--port", description = "gRPC port. Default: ${DEFAULT-VALUE}")
  int port;

  @Option(names = "--metrics-port",
      description = "HTTP port of this service's Prometheus /metrics (backend, device, JVM memory); -1: none. "
          + "Default: ${DEFAULT-VALUE}")
  int metricsPort;

  @Option(names = "--health-port", defaultValue = "-1", paramLabel = "PORT",
      description = "Plaintext port answering only the gRPC health check (grpc.health.v1), for probes that cannot "
          + "speak TLS (Kubernetes' gRPC probes) when --tls-cert is set; -1: none. Default: ${DEFAULT-VALUE}")
  int healthPort;

  private final BiFunction<Preset, Long, NetworkServiceOptions> defaults;
  private final Function<NetworkServiceOptions, Deployable> verticle;

  /**
   * @param defaults the service's options for a preset and seed
   * @param verticle the service for its options
   */
  ServeNetworkCommand(int port, int metricsPort, BiFunction<Preset, Long, NetworkServiceOptions> defaults,
      Function<NetworkServiceOptions, Deployable> verticle) {
    this.port = port;
    this.metricsPort = metricsPort;
    this.defaults = defaults;
    this.verticle = verticle;
  }

  @Override
  public Integer call() {
    Deployments.deploy(Deployments.vertx(), verticle.apply(defaults.apply(args.preset(), args.seed).setHost(args.host)
        .setPort(port).setMetricsPort(metricsPort).setHealthPort(healthPort).setSecurity(Gan.securityOf(gan))));
    Deployments.serveForever();
    return 0;
  }
}
