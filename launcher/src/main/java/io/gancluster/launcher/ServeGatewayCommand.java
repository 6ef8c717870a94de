package io.gancluster.launcher;

import io.gancluster.runtime.metrics.ServiceMetrics;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.gateway.GanMetrics;
import io.gancluster.gateway.GatewayOptions;
import io.gancluster.gateway.GatewayVerticle;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The gateway as its own process. */
@Command(name = "serve-gateway", mixinStandardHelpOptions = true,
    description = {"Run the gateway: sampling over gRPC and HTTP, a web page, and /metrics fed by the trainer.",
        "Balances sampling over the generator replicas given and those the cluster announces.", "",
        "Examples:",
        "  gan serve-gateway --generator 127.0.0.1:9091 --trainer 127.0.0.1:9093",
        "  gan serve-gateway --cluster-members 127.0.0.1 --trainer 127.0.0.1:9093   (replicas discovered)"})
final class ServeGatewayCommand implements Callable<Integer> {
  /** The top-level command: this process's security settings. */
  @picocli.CommandLine.ParentCommand
  Gan gan;

  @Option(names = "--http-port", defaultValue = "8080", description = "HTTP port. Default: ${DEFAULT-VALUE}")
  int httpPort;

  @Option(names = "--grpc-port", defaultValue = "9090", description = "gRPC port (gan.v1.SamplingService). Default: ${DEFAULT-VALUE}")
  int grpcPort;

  @Option(names = "--health-port", defaultValue = "-1", paramLabel = "PORT",
      description = "Plaintext port answering only the gRPC health check (grpc.health.v1), for probes that cannot "
          + "speak TLS (Kubernetes' gRPC probes) when --tls-cert is set; -1: none. Default: ${DEFAULT-VALUE}")
  int healthPort;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind. Default: ${DEFAULT-VALUE}")
  String host;

  @Option(names = "--generator", split = ",", paramLabel = "HOST:PORT",
      description = {"generator-service replicas to balance over (round robin, retry elsewhere on UNAVAILABLE).",
          "Default: 127.0.0.1:9091, or none when in a cluster, where replicas are discovered by their heartbeats."})
  java.util.List<String> generators;

  @picocli.CommandLine.Mixin
  ClusterArgs cluster = new ClusterArgs();

  @Option(names = "--trainer", description = "trainer-service HOST:PORT, for live loss metrics (optional).")
  String trainer;

  @Override
  public Integer call() {
    Vertx vertx = Deployments.vertx(cluster.options());
    // it logs its URLs; its /metrics has the gateway's meters and Vert.x's own
    Deployments.deploy(vertx, new GatewayVerticle(options(), new GanMetrics(ServiceMetrics.vertxRegistry(vertx))));
    Deployments.closeOnShutdown(vertx, 10);
    Deployments.serveForever();
    return 0;
  }

  GatewayOptions options() {
    return new GatewayOptions().setHost(host).setHttpPort(httpPort).setGrpcPort(grpcPort).setHealthPort(healthPort)
        .setGenerators(generators()).setTrainer(trainer == null ? null : HostPort.parse(trainer))
        .setSecurity(Gan.securityOf(gan));
  }

  private java.util.List<HostPort> generators() {
    if (generators != null) {
      return generators.stream().map(HostPort::parse).toList();
    }
    return cluster.options().enabled() ? java.util.List.of() : java.util.List.of(HostPort.parse("127.0.0.1:9091"));
  }
}
