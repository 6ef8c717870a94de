package io.gancluster.launcher;

import io.gancluster.discriminator.DiscriminatorVerticle;
import io.gancluster.runtime.networkservice.NetworkServiceOptions;
import picocli.CommandLine.Command;

/** discriminator-service as its own process. */
@Command(name = "serve-discriminator", mixinStandardHelpOptions = true,
    description = "Run discriminator-service: D, its optimizer and the GAN losses, on gRPC.")
final class ServeDiscriminatorCommand extends ServeNetworkCommand {
  ServeDiscriminatorCommand() {
    super(9092, 9192, NetworkServiceOptions::forDiscriminator, DiscriminatorVerticle::new);
  }
}
