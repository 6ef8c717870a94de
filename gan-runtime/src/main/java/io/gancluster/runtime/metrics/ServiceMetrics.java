package io.gancluster.runtime.metrics;

import io.gancluster.core.compute.ComputeDevice;
import io.gancluster.runtime.rpc.PortInUse;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.PrometheusRequestHandler;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;

/**
 * A network service's own Prometheus endpoint ({@code GET /metrics}), for processes that run alone
 * (Kubernetes scrapes each pod). Embedded in one JVM with the gateway, services register on the
 * gateway's registry instead ({@link #registerCompute}).
 *
 * <p>A Vert.x built with {@link #withVertxMeters} (the launcher's) also reports its own HTTP server and
 * client (gRPC included), event-bus and pool meters ({@code vertx_*}) to a Prometheus registry; the
 * endpoint here, and the gateway's, serve that registry then, so one scrape has both.
 */
public final class ServiceMetrics {
  public static final String COMPUTE_INFO = "gan.compute.info";
  public static final String COMPUTE_MEMORY = "gan.compute.memory";

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ServiceMetrics.class);

  private final PrometheusMeterRegistry registry;
  private HttpServer server;

  private ServiceMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * {@code options} with Vert.x's Micrometer metrics on, reporting to a Prometheus registry of its own
   * (vertx-micrometer-metrics); {@link #vertxRegistry} finds it. JVM meters stay off there: the network
   * services bind the JVM memory meters they always exported ({@link #serve}).
   */
  public static VertxOptions withVertxMeters(VertxOptions options) {
    return options.setMetricsOptions(new MicrometerMetricsOptions()
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)).setEnabled(true));
  }

  /**
   * The Prometheus registry {@code vertx} reports its meters to, when it was built with
   * {@link #withVertxMeters}; else null. The library keeps it under its default registry name, one per
   * process, which is what the launcher builds (one Vert.x per command).
   */
  public static PrometheusMeterRegistry vertxRegistry(Vertx vertx) {
    return vertx.isMetricsEnabled() && BackendRegistries.getDefaultNow() instanceof PrometheusMeterRegistry p
        ? p : null;
  }

  /**
   * {@code gan_compute_info{service,backend,device} 1} and {@code gan_compute_memory_bytes}: an info
   * metric in Prometheus's style, so dashboards can group step rates by backend and device.
   */
  public static void registerCompute(MeterRegistry registry, String service, ComputeDevice device) {
    Gauge.builder(COMPUTE_INFO, () -> 1)
        .description("Where a service's network computes: ND4J backend and device, as labels (value always 1)")
        .tags("service", service, "backend", device.backend(), "device", device.device())
        .register(registry);
    Gauge.builder(COMPUTE_MEMORY, device::memoryBytes).baseUnit("bytes")
        .description("Memory of the compute device: the GPU's on cuda, the host's on cpu")
        .tags("service", service, "backend", device.backend())
        .register(registry);
  }

  /**
   * What a network service does at start: logs where it computes ({@code device}, already admitted by
   * {@code ComputeGate}) and, when its options name a metrics port, serves /metrics there. Completes with
   * null when there is no endpoint.
   */
  public static Future<ServiceMetrics> startFor(Vertx vertx, String service, ComputeDevice device, String host,
      int port) {
    LOG.info("{}-service computes on {}", service, device.describe());
    if (port < 0) {
      return Future.succeededFuture();
    }
    return serve(vertx, service, device, host, port)
        .onSuccess(m -> LOG.info("{}-service metrics on http://{}:{}/metrics", service, host, m.actualPort()));
  }

  /**
   * Starts {@code http://host:port/metrics} for {@code service} (port 0: any free port), on the registry
   * of {@code vertx}'s own meters when it has one, else on a new one. Not the library's embedded server:
   * that one is fixed when Vert.x is built, starts a Vert.x of its own and cannot say which port it got,
   * while the port here is each service's option and may be 0.
   */
  public static Future<ServiceMetrics> serve(Vertx vertx, String service, ComputeDevice device, String host, int port) {
    PrometheusMeterRegistry shared = vertxRegistry(vertx);
    ServiceMetrics metrics = new ServiceMetrics(
        shared != null ? shared : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    registerCompute(metrics.registry, service, device);
    new JvmMemoryMetrics().bindTo(metrics.registry);
    Handler<HttpServerRequest> scrape = PrometheusRequestHandler.create(metrics.registry, "/metrics");
    Future<HttpServer> listening = vertx.createHttpServer()
        .requestHandler(req -> {
          if ("/metrics".equals(req.path())) {
            scrape.handle(req); // text format 0.0.4
          } else { // the library's handler would answer an empty 404: keep the hint
            req.response().setStatusCode(404).end("only /metrics here\n");
          }
        })
        .listen(port, host);
    return PortInUse.explain(listening, "metrics", host, port)
        .map(s -> {
          metrics.server = s;
          return metrics;
        });
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public int actualPort() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
