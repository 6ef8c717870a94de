package io.gancluster.launcher;

import io.gancluster.core.rpc.HostPort;
import io.gancluster.gateway.GatewayOptions;
import io.gancluster.gateway.GatewayVerticle;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The gateway as its own process. */
@Command(name = "serve-gateway", mixinStandardHelpOptions = true,
    description = "Run the gateway: sampling over gRPC and HTTP, a web page, and /metrics fed by the trainer.")
final class ServeGatewayCommand implements Callable<Integer> {
  @Option(names = "--http-port", defaultValue = "8080", description = "HTTP port. Default: ${DEFAULT-VALUE}")
  int httpPort;

  @Option(names = "--grpc-port", defaultValue = "9090", description = "gRPC port (gan.v1.SamplingService). Default: ${DEFAULT-VALUE}")
  int grpcPort;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind. Default: ${DEFAULT-VALUE}")
  String host;

  @Option(names = "--generator", defaultValue = "127.0.0.1:9091", description = "generator-service HOST:PORT. Default: ${DEFAULT-VALUE}")
  String generator;

  @Option(names = "--trainer", description = "trainer-service HOST:PORT, for live loss metrics (optional).")
  String trainer;

  @Override
  public Integer call() {
    Vertx vertx = Deployments.vertx();
    Deployments.deploy(vertx, new GatewayVerticle(options())); // it logs its URLs
    Deployments.serveForever();
    return 0;
  }

  GatewayOptions options() {
    return new GatewayOptions().setHost(host).setHttpPort(httpPort).setGrpcPort(grpcPort)
        .setGenerator(HostPort.parse(generator)).setTrainer(trainer == null ? null : HostPort.parse(trainer));
  }
}
