package io.gancluster.gateway;

import io.gancluster.gateway.GanMetrics.Api;
import io.gancluster.gateway.GanMetrics.Outcome;
import io.gancluster.gateway.http.SampleFormat;
import io.gancluster.gateway.http.SampleQuery;
import io.gancluster.proto.v1.SampleRequest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.grpc.server.StatusException;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.gancluster.runtime.security.Access;
import io.gancluster.runtime.security.Security;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of the gateway, for browsers, curl and Prometheus: sampling as a PNG grid, JSON or a
 * NumPy .npy file ({@code GET /api/v1/samples.png|.json|.npy}), the classes, training status and chart,
 * {@code /metrics}, {@code /health}, the OpenAPI document of all of it ({@code /api/v1/openapi.json}) and a
 * small index page at {@code /}.
 */
public final class HttpApi {
  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

  public static final String SAMPLES_PATH = SampleFormat.PNG.path();
  public static final String SAMPLES_JSON_PATH = SampleFormat.JSON.path();
  public static final String SAMPLES_NPY_PATH = SampleFormat.NPY.path();
  public static final String OPENAPI_PATH = "/api/v1/openapi.json";
  public static final String LABELS_PATH = "/api/v1/labels";
  public static final String METRICS_PATH = "/metrics";
  public static final String HEALTH_PATH = "/health";
  public static final String TRAINING_PATH = "/api/v1/training";
  public static final String CHART_PATH = "/api/v1/training/chart.png";
  public static final int DEFAULT_COUNT = SampleQuery.DEFAULT_COUNT;
  public static final long DEFAULT_SEED = SampleQuery.DEFAULT_SEED;
  /** The Prometheus text format version that {@link GanMetrics#scrape()} writes and /metrics answers with. */
  public static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  public static final String MODEL_VERSION_HEADER = "X-Model-Version";
  /** The label of each image, comma-separated; empty for an unconditional model. */
  public static final String LABELS_HEADER = "X-Labels";

  private static final String TEXT = "text/plain; charset=utf-8";

  private final Vertx vertx;
  private final SamplingService sampling;
  private final GanMetrics metrics;
  private final PeerHealth health;
  private final TrainingView training;

  /** @param security the gateway's settings: the sampling token its routes require */
  public HttpApi(Vertx vertx, SamplingService sampling, GanMetrics metrics, PeerHealth health, TrainingView training,
      Security security) {
    this.vertx = vertx;
    this.security = security;
    this.sampling = sampling;
    this.metrics = metrics;
    this.health = health;
    this.training = training;
  }

  private final Security security;

  public Router router() {
    Router router = Router.router(vertx);
    router.get("/").handler(this::index);
    for (SampleFormat format : SampleFormat.values()) {
      router.get(format.path()).handler(this::requireSamplingToken).handler(ctx -> samples(ctx, format));
    }
    router.get(LABELS_PATH).handler(this::requireSamplingToken).handler(this::labels);
    router.get(METRICS_PATH).handler(PrometheusScrapingHandler.create(metrics.registry()));
    router.get(HEALTH_PATH).handler(this::health);
    router.get(TRAINING_PATH).handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-cache").end(training.status().encode()));
    router.get(CHART_PATH).handler(ctx -> vertx.executeBlocking(training::chartPng, false)
        .onSuccess(png -> ctx.response().putHeader("Content-Type", "image/png").putHeader("Cache-Control", "no-cache")
            .end(Buffer.buffer(png)))
        .onFailure(ctx::fail));
    router.get(OPENAPI_PATH).handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
        .end(OPENAPI_JSON));
    router.errorHandler(404, ctx -> text(ctx.response(), 404, "not found: " + ctx.request().path()
        + " (try " + SAMPLES_PATH + ", " + METRICS_PATH + ", " + HEALTH_PATH + "; every route: " + OPENAPI_PATH
        + ")"));
    router.errorHandler(405, ctx -> { // every route is GET; without this the answer would have no body
      ctx.response().putHeader("Allow", "GET");
      text(ctx.response(), 405, "method not allowed: " + ctx.request().method() + " " + ctx.request().path()
          + " answers GET only (every route: " + OPENAPI_PATH + ")");
    });
    router.errorHandler(500, ctx -> {
      if (ctx.failure() instanceof IllegalArgumentException bad) { // e.g. a query with broken %-encoding
        text(ctx.response(), 400, "bad request: " + bad.getMessage());
        return;
      }
      LOG.error("{} {} failed", ctx.request().method(), ctx.request().uri(), ctx.failure());
      text(ctx.response(), 500, "internal error: " + (ctx.failure() == null ? "unknown" : ctx.failure().getMessage()));
    });
    return router;
  }

  /** When sampling is token-protected, the same bearer token as over gRPC: 401 without it. */
  private void requireSamplingToken(RoutingContext ctx) {
    if (security.allows(Access.SAMPLING, ctx.request().getHeader("Authorization"))) {
      ctx.next();
      return;
    }
    ctx.response().putHeader("WWW-Authenticate", "Bearer");
    text(ctx.response(), 401, (ctx.request().getHeader("Authorization") == null ? "missing" : "wrong")
        + " bearer token: sampling on this gateway needs 'Authorization: Bearer <token>'");
  }

  /** One handler for every format: the same query, limits and errors; only the body differs. */
  private void samples(RoutingContext ctx, SampleFormat format) {
    long started = System.nanoTime();
    SampleQuery.Parsed query = SampleQuery.parse(ctx.request().params(), sampling.maxSamples());
    if (query.problem() != null) {
      metrics.recordSampling(Api.HTTP, Outcome.INVALID, System.nanoTime() - started, 0);
      text(ctx.response(), 400, query.problem());
      return;
    }
    SampleRequest request = query.request();
    sampling.sample(request, Api.HTTP)
        // decoding and encoding are CPU work: off the event loop, unordered so requests run in parallel
        .compose(resp -> vertx.executeBlocking(() -> format.body(request, resp), false)
            .map(body -> {
              ctx.response().setStatusCode(200)
                  .putHeader("Content-Type", format.contentType())
                  .putHeader(MODEL_VERSION_HEADER, resp.getModelVersion())
                  .putHeader(LABELS_HEADER, resp.getLabelsList().stream().map(String::valueOf)
                      .collect(java.util.stream.Collectors.joining(",")))
                  .putHeader("Cache-Control", "no-cache") // the same seed changes as the generator trains
                  .end(Buffer.buffer(body));
              return body;
            }))
        .onFailure(err -> text(ctx.response(), httpStatus(err), message(err)));
  }

  /**
   * The query parameters each route reads, by path; routes not named here read none (and ignore any, like
   * the page's cache-busting {@code ?t=}). The OpenAPI document must list exactly these (OpenApiDocumentTest).
   */
  public static java.util.Map<String, java.util.Set<String>> queryParameters() {
    java.util.Map<String, java.util.Set<String>> params = new java.util.TreeMap<>();
    for (SampleFormat format : SampleFormat.values()) {
      params.put(format.path(), SampleQuery.PARAMETERS);
    }
    return params;
  }

  /** {"classes": 10, "names": [...], "model_version": "..."}: what label= accepts. */
  private void labels(RoutingContext ctx) {
    sampling.listLabels(io.gancluster.proto.v1.ListLabelsRequest.getDefaultInstance())
        .onSuccess(r -> ctx.response().putHeader("Content-Type", "application/json").end(new io.vertx.core.json.JsonObject()
            .put("classes", r.getClasses()).put("names", new io.vertx.core.json.JsonArray(r.getNamesList()))
            .put("model_version", r.getModelVersion()).encode()))
        .onFailure(err -> text(ctx.response(), httpStatus(err), message(err)));
  }

  private void health(RoutingContext ctx) {
    // always 200 while the gateway answers; the body says which peer is down
    health.report()
        .onSuccess(json -> ctx.response().putHeader("Content-Type", "application/json").end(json.encode()))
        .onFailure(ctx::fail);
  }

  private void index(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end(INDEX_HTML);
  }

  private static int httpStatus(Throwable err) {
    if (!(err instanceof StatusException s)) {
      return 502; // the generator answered something we could not turn into an image
    }
    return switch (s.status()) {
      case INVALID_ARGUMENT -> 400;
      case FAILED_PRECONDITION -> 409; // a pinned model_version that no replica holds
      case RESOURCE_EXHAUSTED -> 429;
      case UNAVAILABLE -> 503;
      case DEADLINE_EXCEEDED -> 504;
      default -> 500;
    };
  }

  private static String message(Throwable err) {
    return err instanceof StatusException s ? s.message() : "bad answer from the generator: " + err.getMessage();
  }

  private static void text(HttpServerResponse response, int status, String body) {
    if (!response.ended()) {
      response.setStatusCode(status).putHeader("Content-Type", TEXT).end(body + "\n");
    }
  }

  /** The page at /: live training status and chart, and a form to sample (web/index.html). */
  private static final String INDEX_HTML = resource("/web/index.html");

  /** The OpenAPI 3 description of the HTTP API (web/openapi.json). */
  private static final String OPENAPI_JSON = resource("/web/openapi.json");

  private static String resource(String name) {
    try (java.io.InputStream in = HttpApi.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the gateway jar");
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
