package io.gancluster.launcher;

import io.gancluster.runtime.networkservice.NetworkServiceOptions;
import io.gancluster.discriminator.DiscriminatorVerticle;
import io.vertx.core.Deployable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** discriminator-service as its own process. */
@Command(name = "serve-discriminator", mixinStandardHelpOptions = true,
    description = "Run discriminator-service: D, its optimizer and the GAN losses, on gRPC.")
final class ServeDiscriminatorCommand extends ServeNetworkCommand {
  @Option(names = "--port", defaultValue = "9092", description = "gRPC port. Default: ${DEFAULT-VALUE}")
  int port;

  @Option(names = "--metrics-port", defaultValue = "9192",
      description = "HTTP port of this service's Prometheus /metrics (backend, device, JVM memory); -1: none. "
          + "Default: ${DEFAULT-VALUE}")
  int metricsPort;

  @Override
  int metricsPort() {
    return metricsPort;
  }

  @Override
  int port() {
    return port;
  }

  @Override
  NetworkServiceOptions defaults() {
    return NetworkServiceOptions.forDiscriminator(args.preset(), args.seed);
  }

  @Override
  Deployable verticle(NetworkServiceOptions options) {
    return new DiscriminatorVerticle(options);
  }
}
