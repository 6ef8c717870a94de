package io.gancluster.launcher;

import io.gancluster.generator.GeneratorVerticle;
import io.gancluster.runtime.networkservice.NetworkServiceOptions;
import picocli.CommandLine.Command;

/** generator-service as its own process. */
@Command(name = "serve-generator", mixinStandardHelpOptions = true,
    description = "Run generator-service: G, its optimizer, training RPCs and sampling, on gRPC.")
final class ServeGeneratorCommand extends ServeNetworkCommand {
  ServeGeneratorCommand() {
    super(9091, 9191, NetworkServiceOptions::forGenerator, GeneratorVerticle::new);
  }
}
