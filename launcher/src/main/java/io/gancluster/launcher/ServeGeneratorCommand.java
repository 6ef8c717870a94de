package io.gancluster.launcher;

import io.gancluster.core.model.Presets;
import io.gancluster.core.rpc.NetworkServiceOptions;
import io.gancluster.generator.GeneratorVerticle;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** generator-service as its own process. */
@Command(name = "serve-generator", mixinStandardHelpOptions = true,
    description = "Run generator-service: G, its optimizer, training RPCs and sampling, on gRPC.")
final class ServeGeneratorCommand implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "9091", description = "gRPC port. Default: ${DEFAULT-VALUE}")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind. Default: ${DEFAULT-VALUE}")
  String host;

  @Option(names = "--preset", defaultValue = "dcgan-mnist-small", description = "Model preset. Default: ${DEFAULT-VALUE}")
  String preset;

  @Option(names = "--seed", defaultValue = "42", description = "Initial weights' seed. Default: ${DEFAULT-VALUE}")
  long seed;

  @Override
  public Integer call() {
    Nd4jSetup.describeBackend();
    Vertx vertx = Deployments.vertx();
    Deployments.deploy(vertx, new GeneratorVerticle(
        NetworkServiceOptions.forGenerator(Presets.get(preset), seed).setHost(host).setPort(port)));
    Deployments.serveForever();
    return 0;
  }
}
