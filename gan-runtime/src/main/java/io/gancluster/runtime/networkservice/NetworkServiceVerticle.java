package io.gancluster.runtime.networkservice;

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
public abstract class NetworkServiceVerticle<N> extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(NetworkServiceVerticle.class);

  protected final NetworkServiceOptions options;
  private final String role;
  private WorkerExecutor worker;
  private HttpServer server;
  private ServiceMetrics metrics;

  /** @param role "generator" or "discriminator": names the worker, the log lines and the metrics */
  protected NetworkServiceVerticle(NetworkServiceOptions options, String role) {
    this.options = options;
    this.role = role;
  }

  /** Builds the network; runs on the service's worker thread. */
  protected abstract N buildNetwork();

  /** The gRPC service answering for {@code network}, running its math on {@code worker}. */
  protected abstract Service grpcService(N network, WorkerExecutor worker);

  /** The name health checks ask for. */
  protected abstract ServiceName serviceName();

  /** The recipe this service was configured with, for its start-up line. */
  protected abstract String recipe();

  /** The port actually bound (useful with port 0). */
  public int actualPort() {
    return server.actualPort();
  }

  /** The /metrics port actually bound, or -1 when the service has no endpoint of its own. */
  public int metricsPort() {
    return metrics == null ? -1 : metrics.actualPort();
  }

  @Override
  public Future<?> start() {
    worker = vertx.createSharedWorkerExecutor(role + "-network", 1, 10, TimeUnit.MINUTES);
    return worker.executeBlocking(this::buildNetwork)
        .compose(network -> {
          HealthService health = HealthService.create(vertx);
          health.register(serviceName(), () -> Future.succeededFuture(true));
          return GrpcEndpoints.listen(vertx, GrpcEndpoints.server(vertx, List.of(grpcService(network, worker), health)),
              options.getHost(), options.getPort(), options.getSecurity());
        })
        .compose(s -> {
          server = s;
          return ServiceMetrics.startFor(vertx, role, options.getHost(), options.getMetricsPort()).map(m -> {
            metrics = m;
            return s;
          });
        })
        .onSuccess(s -> LOG.info("{}-service ({}) listening on {}:{}", role, recipe(), options.getHost(),
            s.actualPort()));
  }

  @Override
  public Future<?> stop() {
    return (server == null ? Future.succeededFuture() : server.close())
        .eventually(() -> metrics == null ? Future.succeededFuture() : metrics.close())
        .eventually(() -> worker == null ? Future.succeededFuture() : worker.close());
  }
}
