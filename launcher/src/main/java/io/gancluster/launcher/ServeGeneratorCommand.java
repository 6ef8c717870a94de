package io.gancluster.launcher;

import io.gancluster.core.rpc.NetworkServiceOptions;
import io.gancluster.generator.GeneratorVerticle;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** generator-service as its own process. */
@Command(name = "serve-generator", mixinStandardHelpOptions = true,
    description = "Run generator-service: G, its optimizer, training RPCs and sampling, on gRPC.")
final class ServeGeneratorCommand implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "9091", description = "gRPC port. Default: ${DEFAULT-VALUE}")
  int port;

  @Mixin
  NetworkServiceArgs args;

  @Override
  public Integer call() {
    Nd4jSetup.describeBackend();
    Vertx vertx = Deployments.vertx();
    Deployments.deploy(vertx, new GeneratorVerticle(
        NetworkServiceOptions.forGenerator(args.preset(), args.seed).setHost(args.host).setPort(port)));
    Deployments.serveForever();
    return 0;
  }
}
