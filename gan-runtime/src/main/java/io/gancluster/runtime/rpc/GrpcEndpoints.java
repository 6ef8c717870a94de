package io.gancluster.runtime.rpc;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.health.HealthService;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpc.server.Service;
import io.vertx.grpc.reflection.ReflectionService;
import io.gancluster.runtime.security.GrpcAuthGuard;
import io.gancluster.runtime.security.Security;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * gRPC servers with the cluster's limits (clients: gan-client's {@code RpcClient}). One MNIST batch of 128 float32 images is
 * 400 KiB, over Vert.x's 256 KiB default, and network states are up to ~160 MB (infogan-minibatch's D:
 * 13M parameters plus two Adam moments): raise it on both sides.
 */
public final class GrpcEndpoints {
  public static final long MAX_MESSAGE_BYTES = 512L * 1024 * 1024;

  // one line per process, however many servers it starts
  private static final AtomicBoolean OPEN_CONTROL_LOGGED = new AtomicBoolean();

  private GrpcEndpoints() {}

  /** Largest message a public sampling endpoint (gateway, serving replica) accepts: requests are small. */
  public static final long PUBLIC_MAX_MESSAGE_BYTES = 1024 * 1024;

  public static GrpcServer server(Vertx vertx, List<Service> services) {
    return server(vertx, services, MAX_MESSAGE_BYTES);
  }

  /**
   * A server refusing messages over {@code maxMessageBytes} before buffering them whole, with gRPC server
   * reflection ({@code grpc.reflection.v1.ServerReflection}) describing {@code services}, so that generic
   * clients (grpcurl, Postman) can list and call them without the .proto files. Reflection needs the
   * same token as sampling ({@link io.gancluster.runtime.security.Access}). Every service's requests are
   * decoded by {@link RequestDecoding}: bytes that are not the method's message get INVALID_ARGUMENT saying
   * so, never a reset stream.
   */
  public static GrpcServer server(Vertx vertx, List<Service> services, long maxMessageBytes) {
    GrpcServer server = RequestDecoding.server(
        GrpcServer.server(vertx, new GrpcServerOptions().setMaxMessageSize(maxMessageBytes)), maxMessageBytes);
    services.forEach(server::addService);
    server.addService(ReflectionService.v1());
    return server;
  }

  /** Largest message the plaintext health port accepts: a health check names one service. */
  public static final long HEALTH_MAX_MESSAGE_BYTES = 4096;

  /**
   * Starts a plaintext HTTP/2 server answering only the gRPC health check ({@code grpc.health.v1.Health}) from
   * {@code health}, the same instance the main server answers from, so both say the same; nothing else is
   * served there (every other method is UNIMPLEMENTED), and no token is asked for, as on the main port.
   * For probes that cannot speak TLS (Kubernetes' native gRPC probes) when the main port requires it.
   *
   * @param port the port, 0 for any free one, negative for none (then the future holds null)
   */
  public static Future<HttpServer> listenHealth(Vertx vertx, HealthService health, String host, int port) {
    if (port < 0) {
      return Future.succeededFuture();
    }
    GrpcServer grpc = RequestDecoding.server(GrpcServer.server(vertx,
        new GrpcServerOptions().setMaxMessageSize(HEALTH_MAX_MESSAGE_BYTES)), HEALTH_MAX_MESSAGE_BYTES);
    grpc.addService(health);
    return PortInUse.explain(vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
            .requestHandler(grpc).listen(), "gRPC health check", host, port)
        .onSuccess(s -> org.slf4j.LoggerFactory.getLogger(GrpcEndpoints.class)
            .info("gRPC health check (plaintext) on {}:{}", host, s.actualPort()));
  }

  /**
   * Starts an HTTP/2 server for {@code grpc} on host:port (port 0 picks a free one) with {@code security}:
   * TLS when configured, and every call's bearer token checked before it is decoded.
   */
  public static Future<HttpServer> listen(Vertx vertx, GrpcServer grpc, String host, int port, Security security) {
    if (!security.controlTokenRequired() && !OPEN_CONTROL_LOGGED.getAndSet(true)) {
      org.slf4j.LoggerFactory.getLogger(GrpcEndpoints.class).info("control calls are not token-protected (set {} "
          + "or --control-token-file to require a bearer token)", Security.CONTROL_TOKEN_ENV);
    }
    return PortInUse.explain(vertx.createHttpServer(security.serverOptions().setHost(host).setPort(port))
        .requestHandler(new GrpcAuthGuard(grpc, security))
        .listen(), "gRPC", host, port);
  }
}
