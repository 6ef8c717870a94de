package io.gancluster.runtime.metrics;

import io.gancluster.core.compute.ComputeDevice;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/**
 * A network service's own Prometheus endpoint ({@code GET /metrics}), for processes that run alone
 * (Kubernetes scrapes each pod). Embedded in one JVM with the gateway, services register on the
 * gateway's registry instead ({@link #registerCompute}).
 */
public final class ServiceMetrics {
  public static final String COMPUTE_INFO = "gan.compute.info";
  public static final String COMPUTE_MEMORY = "gan.compute.memory";

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ServiceMetrics.class);

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private HttpServer server;

  private ServiceMetrics() {}

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
   * What a network service does at start: logs where it computes and, when its options name a metrics
   * port, serves /metrics there. Completes with null when there is no endpoint.
   */
  public static Future<ServiceMetrics> startFor(Vertx vertx, String service, String host, int port) {
    ComputeDevice device = ComputeDevice.current();
    LOG.info("{}-service computes on {}", service, device.describe());
    if (port < 0) {
      return Future.succeededFuture();
    }
    return serve(vertx, service, device, host, port)
        .onSuccess(m -> LOG.info("{}-service metrics on http://{}:{}/metrics", service, host, m.actualPort()));
  }

  /** Starts {@code http://host:port/metrics} for {@code service} (port 0: any free port). */
  public static Future<ServiceMetrics> serve(Vertx vertx, String service, ComputeDevice device, String host, int port) {
    ServiceMetrics metrics = new ServiceMetrics();
    registerCompute(metrics.registry, service, device);
    new JvmMemoryMetrics().bindTo(metrics.registry);
    return vertx.createHttpServer()
        .requestHandler(req -> {
          if ("/metrics".equals(req.path())) {
            req.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                .end(metrics.registry.scrape());
          } else {
            req.response().setStatusCode(404).end("only /metrics here\n");
          }
        })
        .listen(port, host)
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
