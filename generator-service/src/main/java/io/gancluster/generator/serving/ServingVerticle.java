package io.gancluster.generator.serving;

import io.gancluster.core.compute.ComputeDevice;
import io.gancluster.core.compute.ComputeGate;
import io.gancluster.runtime.cluster.ControlEvents;
import io.gancluster.runtime.cluster.ControlEvents.ReplicaHeartbeat;
import io.gancluster.runtime.cluster.ControlEvents.ReplicaState;
import io.gancluster.runtime.metrics.ServiceMetrics;
import io.gancluster.runtime.rpc.GrpcEndpoints;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.proto.v1.GeneratorServiceGrpcService;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.grpc.health.HealthService;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * generator-service in serving mode: no trainer drives it. It loads the newest published checkpoint,
 * follows new ones ({@link ModelReloader}), answers Sample through the {@link SampleBatcher}, tells
 * the cluster it exists (a heartbeat the gateway discovers it by), and on stop drains: it says it is
 * leaving, keeps answering for a grace period, refuses new work, finishes what it queued, then closes.
 */
public final class ServingVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ServingVerticle.class);

  private final ServingOptions options;
  private final Function<io.vertx.core.Vertx, CheckpointSource> sourceFactory;
  private final AtomicReference<ServedModel> current = new AtomicReference<>();
  private volatile ReplicaState state = ReplicaState.LOADING;
  private WorkerExecutor loader;
  private HttpServer server;
  private HttpServer healthServer;
  private ServiceMetrics serviceMetrics;
  private SampleBatcher batcher;
  private ModelReloader reloader;
  private long heartbeatTimer = -1;

  /** @param sourceFactory where checkpoints come from (the trainer over gRPC, or a file), given this verticle's Vert.x */
  public ServingVerticle(ServingOptions options, Function<io.vertx.core.Vertx, CheckpointSource> sourceFactory) {
    this.options = options;
    this.sourceFactory = sourceFactory;
  }

  public int actualPort() {
    return server.actualPort();
  }

  /** The plaintext health port actually bound, or -1 when there is none. */
  public int actualHealthPort() {
    return healthServer == null ? -1 : healthServer.actualPort();
  }

  public int metricsPort() {
    return serviceMetrics == null ? -1 : serviceMetrics.actualPort();
  }

  public HostPort address() {
    return new HostPort(options.getAdvertiseHost(), actualPort());
  }

  /** The model served now, or null before the first load. */
  public ServedModel model() {
    return current.get();
  }

  public ModelReloader reloader() {
    return reloader;
  }

  @Override
  public Future<?> start() {
    ComputeDevice device;
    try {
      // before the server is up: a replica that could never load a model must not wait NOT_SERVING forever
      device = ComputeGate.admit(options.getComputeDevice().get());
    } catch (IllegalStateException e) { // an unsupported GPU, or no ND4J backend
      return Future.failedFuture(e);
    }
    loader = vertx.createSharedWorkerExecutor("generator-loader-" + options.getReplicaId(), 1, 10, TimeUnit.MINUTES);
    return ServiceMetrics.startFor(vertx, "generator", device, options.getHost(), options.getMetricsPort())
        .compose(m -> {
          serviceMetrics = m;
          MeterRegistry registry = m == null ? new SimpleMeterRegistry() : m.registry();
          ServingMetrics metrics = new ServingMetrics(registry, () -> batcher == null ? 0 : batcher.queuedImages());
          batcher = new SampleBatcher(current::get, options.getBatching(), metrics);
          ServingGrpcService service = new ServingGrpcService(batcher, current, metrics, options.getMaxSamples(),
              context);
          HealthService health = HealthService.create(vertx);
          health.register(GeneratorServiceGrpcService.SERVICE_NAME,
              () -> Future.succeededFuture(state == ReplicaState.SERVING && current.get() != null));
          reloader = new ModelReloader(vertx, sourceFactory.apply(vertx), current, metrics, loader, options.getPollMs());
          return GrpcEndpoints.listen(vertx, GrpcEndpoints.server(vertx, List.of(service, health), GrpcEndpoints.PUBLIC_MAX_MESSAGE_BYTES), options.getHost(),
              options.getPort(), options.getSecurity())
              .compose(s -> GrpcEndpoints.listenHealth(vertx, health, options.getHost(), options.getHealthPort())
                  .map(h -> {
                    healthServer = h;
                    return s;
                  }));
        })
        .onSuccess(s -> {
          server = s;
          reloader.start();
          state = ReplicaState.SERVING;
          heartbeat();
          heartbeatTimer = vertx.setPeriodic(options.getHeartbeatMs(), id -> heartbeat());
          LOG.info("generator-service (serving replica {}) listening on {}:{}; batching up to {} images, {} ms wait,"
              + " queue {} images", options.getReplicaId(), options.getHost(), s.actualPort(),
              options.getBatching().maxBatchImages(), TimeUnit.NANOSECONDS.toMillis(options.getBatching().maxWaitNanos()),
              options.getBatching().maxQueueImages());
        });
  }

  private void heartbeat() {
    ServedModel m = current.get();
    ReplicaState shown = state == ReplicaState.SERVING && m == null ? ReplicaState.LOADING : state;
    vertx.eventBus().publish(ControlEvents.REPLICA_HEARTBEAT, new ReplicaHeartbeat(options.getReplicaId(), address(),
        shown, m == null ? "" : m.version(), batcher.queuedImages()).toJson());
  }

  @Override
  public Future<?> stop() {
    if (server == null) {
      return closeRest();
    }
    state = ReplicaState.DRAINING;
    heartbeat(); // the gateway stops choosing this replica now
    if (heartbeatTimer >= 0) {
      vertx.cancelTimer(heartbeatTimer);
    }
    reloader.stop();
    long started = System.nanoTime();
    return vertx.timer(options.getDrainGraceMs())
        .compose(v -> vertx.executeBlocking(() -> batcher.drain(options.getDrainSeconds() * 1000L), false))
        .compose(drained -> {
          LOG.info("drained in {} ms{}", (System.nanoTime() - started) / 1_000_000,
              drained ? "" : " (time limit reached with requests still queued)");
          state = ReplicaState.LEFT;
          heartbeat();
          return server.close();
        })
        .eventually(this::closeRest);
  }

  private Future<Void> closeRest() {
    if (batcher != null) {
      batcher.close();
    }
    // the health port answers NOT_SERVING through the drain, and goes with the main port
    Future<Void> h = healthServer == null ? Future.succeededFuture() : healthServer.close();
    Future<Void> m = h.eventually(() -> serviceMetrics == null ? Future.succeededFuture() : serviceMetrics.close());
    return m.eventually(() -> loader == null ? Future.succeededFuture() : loader.close());
  }
}
