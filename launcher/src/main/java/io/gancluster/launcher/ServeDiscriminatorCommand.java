package io.gancluster.launcher;

import io.gancluster.core.rpc.NetworkServiceOptions;
import io.gancluster.discriminator.DiscriminatorVerticle;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** discriminator-service as its own process. */
@Command(name = "serve-discriminator", mixinStandardHelpOptions = true,
    description = "Run discriminator-service: D, its optimizer and the GAN losses, on gRPC.")
final class ServeDiscriminatorCommand implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "9092", description = "gRPC port. Default: ${DEFAULT-VALUE}")
  int port;

  @Mixin
  NetworkServiceArgs args;

  @Override
  public Integer call() {
    Nd4jSetup.describeBackend();
    Vertx vertx = Deployments.vertx();
    Deployments.deploy(vertx, new DiscriminatorVerticle(
        NetworkServiceOptions.forDiscriminator(args.preset(), args.seed).setHost(args.host).setPort(port)));
    Deployments.serveForever();
    return 0;
  }
}
