package io.gancluster.generator;

import io.gancluster.core.metrics.ServiceMetrics;
import io.gancluster.core.model.Preset;
import io.gancluster.core.rpc.GrpcEndpoints;
import io.gancluster.core.rpc.NetworkServiceOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.grpc.health.HealthService;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deploys generator-service: builds G on its own worker thread and serves it over gRPC. */
public final class GeneratorVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(GeneratorVerticle.class);

  private final NetworkServiceOptions options;
  private WorkerExecutor worker;
  private HttpServer server;
  private ServiceMetrics metrics;

  public GeneratorVerticle(NetworkServiceOptions options) {
    this.options = options;
  }

  public static GeneratorVerticle forPreset(Preset preset, long seed, int port) {
    return new GeneratorVerticle(NetworkServiceOptions.forGenerator(preset, seed).setPort(port));
  }

  /** The /metrics port actually bound, or -1 when the service has no endpoint of its own. */
  public int metricsPort() {
    return metrics == null ? -1 : metrics.actualPort();
  }

  /** The port actually bound (useful with port 0). */
  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> start() {
    worker = vertx.createSharedWorkerExecutor("generator-network", 1, 10, TimeUnit.MINUTES);
    return worker.executeBlocking(() -> new GeneratorTrainer(options.getPreset(), DataType.FLOAT, options.getSeed()))
        .compose(trainer -> {
          GeneratorGrpcService service = new GeneratorGrpcService(trainer, worker, options);
          HealthService health = HealthService.create(vertx);
          health.register(GeneratorGrpcService.SERVICE_NAME, () -> Future.succeededFuture(true));
          return GrpcEndpoints.listen(vertx, GrpcEndpoints.server(vertx, List.of(service, health)),
              options.getHost(), options.getPort());
        })
        .compose(s -> {
          server = s;
          return ServiceMetrics.startFor(vertx, "generator", options.getHost(), options.getMetricsPort()).map(m -> {
            metrics = m;
            return s;
          });
        })
        .onSuccess(s -> {
          LOG.info("generator-service ({}) listening on {}:{}", options.getPreset().generatorRecipe(), options.getHost(),
              s.actualPort());
        });
  }

  @Override
  public Future<?> stop() {
    return (server == null ? Future.succeededFuture() : server.close())
        .eventually(() -> metrics == null ? Future.succeededFuture() : metrics.close())
        .eventually(() -> worker == null ? Future.succeededFuture() : worker.close());
  }
}
