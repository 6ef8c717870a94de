package io.gancluster.gateway;

import io.gancluster.client.RpcClient;
import io.gancluster.runtime.rpc.GrpcEndpoints;
import io.gancluster.runtime.rpc.PortInUse;
import io.gancluster.gateway.replicas.ReplicaPool;
import io.gancluster.proto.v1.SamplingServiceGrpcService;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.grpc.health.HealthService;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deploys the gateway: the public gRPC SamplingService (with gRPC health), the HTTP API, and, when a
 * trainer is configured, the progress feed that turns training into metrics.
 */
public final class GatewayVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);

  private final GatewayOptions options;
  private final GanMetrics metrics;
  private RpcClient client;
  private HttpServer grpcServer;
  private HttpServer httpServer;
  private HttpServer healthServer;
  private ProgressFeed feed;
  private ReplicaPool replicas;
  private io.vertx.ext.web.Router router;

  public GatewayVerticle(GatewayOptions options) {
    this(options, new GanMetrics());
  }

  /** With a registry of the caller's (e.g. to add JVM meters or share it with a launcher). */
  public GatewayVerticle(GatewayOptions options, GanMetrics metrics) {
    this.options = options;
    this.metrics = metrics;
  }

  /** The generator replicas and their health (after deployment). */
  public ReplicaPool replicas() {
    return replicas;
  }

  public GanMetrics metrics() {
    return metrics;
  }

  /** The HTTP routes served (after deployment): what the OpenAPI document is checked against. */
  io.vertx.ext.web.Router httpRouter() {
    return router;
  }

  /** The HTTP port actually bound (useful with port 0); only after deployment. */
  public int actualHttpPort() {
    return httpServer.actualPort();
  }

  /** The gRPC port actually bound (useful with port 0); only after deployment. */
  public int actualGrpcPort() {
    return grpcServer.actualPort();
  }

  /** The plaintext health port actually bound, or -1 when there is none. */
  public int actualHealthPort() {
    return healthServer == null ? -1 : healthServer.actualPort();
  }

  /** Human-facing addresses, for a launcher to print; only after deployment. */
  public List<String> urls() {
    String http = (options.getSecurity().tls() == null ? "http://" : "https://") + displayHost() + ":" + actualHttpPort();
    return List.of(
        http + "/",
        http + HttpApi.SAMPLES_PATH + "?count=16&seed=42",
        http + HttpApi.METRICS_PATH,
        http + HttpApi.HEALTH_PATH,
        http + HttpApi.OPENAPI_PATH,
        "grpc://" + displayHost() + ":" + actualGrpcPort());
  }

  @Override
  public Future<?> start() {
    client = RpcClient.create(vertx, options.getSecurity());
    replicas = new ReplicaPool(vertx, client, options.getGenerators(), metrics.registry()).start();
    SamplingService sampling = new SamplingService(replicas, metrics, options.getMaxSamples());
    HealthService grpcHealth = HealthService.create(vertx)
        .register(SamplingServiceGrpcService.SERVICE_NAME, () -> Future.succeededFuture(true));
    TrainingView training = new TrainingView();
    HttpApi http = new HttpApi(vertx, sampling, metrics,
        new PeerHealth(client, replicas, options.getTrainer()), training, options.getSecurity());

    Future<HttpServer> grpc = GrpcEndpoints.listen(vertx, GrpcEndpoints.server(vertx, List.of(sampling, grpcHealth), GrpcEndpoints.PUBLIC_MAX_MESSAGE_BYTES),
            options.getHost(), options.getGrpcPort(), options.getSecurity())
        .onSuccess(s -> grpcServer = s)
        .compose(s -> GrpcEndpoints.listenHealth(vertx, grpcHealth, options.getHost(), options.getHealthPort())
            .map(h -> {
              healthServer = h;
              return s;
            }));
    router = http.router();
    Future<HttpServer> web = PortInUse.explain(vertx.createHttpServer(options.getSecurity().serverOptions()
            .setHost(options.getHost()).setPort(options.getHttpPort()))
        .requestHandler(router)
        .listen(), "gateway HTTP", options.getHost(), options.getHttpPort())
        .onSuccess(s -> httpServer = s);
    return Future.all(grpc, web).onSuccess(v -> {
      if (options.getTrainer() != null) {
        feed = new ProgressFeed(vertx, client, options.getTrainer(), event -> {
          metrics.record(event);
          training.record(event);
        });
        feed.start();
      }
      LOG.info("gateway up: generators {} (and any the cluster announces), trainer {}", options.getGenerators(),
          options.getTrainer() == null ? "none (no training metrics)" : options.getTrainer());
      urls().forEach(u -> LOG.info("  {}", u));
    });
  }

  @Override
  public Future<?> stop() {
    if (feed != null) {
      feed.stop();
    }
    if (replicas != null) {
      replicas.stop();
    }
    Future<Void> http = httpServer == null ? Future.succeededFuture() : httpServer.close();
    Future<Void> grpc = grpcServer == null ? Future.succeededFuture() : grpcServer.close();
    Future<Void> health = healthServer == null ? Future.succeededFuture() : healthServer.close();
    return Future.join(http, grpc, health).eventually(() -> client == null ? Future.succeededFuture() : client.close());
  }

  private String displayHost() {
    String host = options.getHost();
    // a wildcard bind is not an address a browser can open
    return "0.0.0.0".equals(host) || "::".equals(host) ? "localhost" : host;
  }
}
