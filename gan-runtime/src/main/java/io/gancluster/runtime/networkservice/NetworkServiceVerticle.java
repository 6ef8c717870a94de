package io.gancluster.runtime.networkservice;

import io.gancluster.core.compute.ComputeDevice;
import io.gancluster.core.compute.ComputeGate;
import io.gancluster.runtime.metrics.ServiceMetrics;
import io.gancluster.runtime.rpc.GrpcEndpoints;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.health.HealthService;
import io.vertx.grpc.server.Service;
import java.util.List;
import java.util.function.Function;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deploys a service that owns one network (generator-service, discriminator-service): builds the
 * network on the service's own single worker thread (so its state needs no locks and the event loop is
 * never blocked), then serves it over gRPC with a health service and, when asked, a /metrics endpoint.
 *
 * @param <N> the network with its optimizer, as the service's gRPC implementation uses it
 */
public class NetworkServiceVerticle<N> extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(NetworkServiceVerticle.class);

  private final NetworkServiceOptions options;
  private final String role;
  private final ServiceName serviceName;
  private final String recipe;
  private final Function<NetworkServiceOptions, N> network;
  private final GrpcServiceFactory<N> grpcService;
  private WorkerExecutor worker;
  private HttpServer server;
  private HttpServer healthServer;
  private ServiceMetrics metrics;

  /** How the service's gRPC implementation is made from its network and its worker thread. */
  @FunctionalInterface
  public interface GrpcServiceFactory<N> {
    Service create(N network, WorkerExecutor worker, NetworkServiceOptions options);
  }

  /**
   * @param role "generator" or "discriminator": names the worker, the log lines and the metrics
   * @param serviceName the name health checks ask for
   * @param recipe what the service was configured with, for its start-up line
   * @param network builds the network from the options; runs on the service's worker thread
   * @param grpcService the gRPC service answering for the network, running its math on the worker
   */
  protected NetworkServiceVerticle(NetworkServiceOptions options, String role, ServiceName serviceName, String recipe,
      Function<NetworkServiceOptions, N> network, GrpcServiceFactory<N> grpcService) {
    this.options = options;
    this.role = role;
    this.serviceName = serviceName;
    this.recipe = recipe;
    this.network = network;
    this.grpcService = grpcService;
  }

  /** The port actually bound (useful with port 0). */
  public int actualPort() {
    return server.actualPort();
  }

  /** The plaintext health port actually bound, or -1 when there is none. */
  public int actualHealthPort() {
    return healthServer == null ? -1 : healthServer.actualPort();
  }

  /** The /metrics port actually bound, or -1 when the service has no endpoint of its own. */
  public int metricsPort() {
    return metrics == null ? -1 : metrics.actualPort();
  }

  @Override
  public Future<?> start() {
    ComputeDevice device;
    try {
      // before the network is built: on a GPU the build has no code for, that would be the first kernel error
      device = ComputeGate.admit(options.getComputeDevice().get());
    } catch (IllegalStateException e) { // an unsupported GPU, or no ND4J backend: nothing is built or bound
      return Future.failedFuture(e);
    }
    worker = vertx.createSharedWorkerExecutor(role + "-network", 1, 10, TimeUnit.MINUTES);
    return worker.executeBlocking(() -> network.apply(options))
        .compose(built -> {
          HealthService health = HealthService.create(vertx);
          health.register(serviceName, () -> Future.succeededFuture(true));
          Service service = grpcService.create(built, worker, options);
          return GrpcEndpoints.listen(vertx, GrpcEndpoints.server(vertx, List.of(service, health)), options.getHost(),
              options.getPort(), options.getSecurity())
              .compose(s -> GrpcEndpoints.listenHealth(vertx, health, options.getHost(), options.getHealthPort())
                  .map(h -> {
                    healthServer = h;
                    return s;
                  }));
        })
        .compose(s -> {
          server = s;
          return ServiceMetrics.startFor(vertx, role, device, options.getHost(), options.getMetricsPort()).map(m -> {
            metrics = m;
            return s;
          });
        })
        .onSuccess(s -> LOG.info("{}-service ({}) listening on {}:{}", role, recipe, options.getHost(),
            s.actualPort()));
  }

  @Override
  public Future<?> stop() {
    return (server == null ? Future.succeededFuture() : server.close())
        .eventually(() -> healthServer == null ? Future.succeededFuture() : healthServer.close())
        .eventually(() -> metrics == null ? Future.succeededFuture() : metrics.close())
        .eventually(() -> worker == null ? Future.succeededFuture() : worker.close());
  }
}
