package io.gancluster.launcher;

import io.gancluster.runtime.networkservice.NetworkServiceOptions;
import io.gancluster.generator.GeneratorVerticle;
import io.vertx.core.Deployable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** generator-service as its own process. */
@Command(name = "serve-generator", mixinStandardHelpOptions = true,
    description = "Run generator-service: G, its optimizer, training RPCs and sampling, on gRPC.")
final class ServeGeneratorCommand extends ServeNetworkCommand {
  @Option(names = "--port", defaultValue = "9091", description = "gRPC port. Default: ${DEFAULT-VALUE}")
  int port;

  @Option(names = "--metrics-port", defaultValue = "9191",
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
    return NetworkServiceOptions.forGenerator(args.preset(), args.seed);
  }

  @Override
  Deployable verticle(NetworkServiceOptions options) {
    return new GeneratorVerticle(options);
  }
}
