package io.gancluster.gateway;

import io.gancluster.core.image.ImageGrid;
import io.gancluster.runtime.tensor.TensorCodec;
import io.gancluster.gateway.GanMetrics.Api;
import io.gancluster.gateway.GanMetrics.Outcome;
import io.gancluster.proto.v1.SampleRequest;
import io.gancluster.proto.v1.SampleResponse;
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
 * The HTTP face of the gateway, for browsers, curl and Prometheus:
 * {@code GET /api/v1/samples.png}, {@code /metrics}, {@code /health} and a small index page at {@code /}.
 */
public final class HttpApi {
  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

  public static final String SAMPLES_PATH = "/api/v1/samples.png";
  public static final String LABELS_PATH = "/api/v1/labels";
  public static final String METRICS_PATH = "/metrics";
  public static final String HEALTH_PATH = "/health";
  public static final String TRAINING_PATH = "/api/v1/training";
  public static final String CHART_PATH = "/api/v1/training/chart.png";
  public static final int DEFAULT_COUNT = 16;
  public static final long DEFAULT_SEED = 0;
  /** The Prometheus text format version that {@link GanMetrics#scrape()} writes and /metrics answers with. */
  public static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  public static final String MODEL_VERSION_HEADER = "X-Model-Version";

  private static final String TEXT = "text/plain; charset=utf-8";
  private static final long[] IMAGE_SHAPE = {-1, 1, 28, 28};

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
    router.get(SAMPLES_PATH).handler(this::requireSamplingToken).handler(this::samples);
    router.get(LABELS_PATH).handler(this::requireSamplingToken).handler(this::labels);
    router.get(METRICS_PATH).handler(PrometheusScrapingHandler.create(metrics.registry()));
    router.get(HEALTH_PATH).handler(this::health);
    router.get(TRAINING_PATH).handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-cache").end(training.status().encode()));
    router.get(CHART_PATH).handler(ctx -> vertx.executeBlocking(training::chartPng, false)
        .onSuccess(png -> ctx.response().putHeader("Content-Type", "image/png").putHeader("Cache-Control", "no-cache")
            .end(Buffer.buffer(png)))
        .onFailure(ctx::fail));
    router.errorHandler(404, ctx -> text(ctx.response(), 404, "not found: " + ctx.request().path()
        + " (try " + SAMPLES_PATH + ", " + METRICS_PATH + " or " + HEALTH_PATH + ")"));
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

  private void samples(RoutingContext ctx) {
    long started = System.nanoTime();
    if (refuseUnknownParameters(ctx, SAMPLE_PARAMETERS)) {
      metrics.recordSampling(Api.HTTP, Outcome.INVALID, System.nanoTime() - started, 0);
      return;
    }
    int max = sampling.maxSamples();
    String countText = ctx.request().getParam("count");
    String seedText = ctx.request().getParam("seed");
    String labelText = ctx.request().getParam("label");
    Integer count = parseCount(countText, max);
    Long seed = parseSeed(seedText);
    if (count == null || seed == null) {
      metrics.recordSampling(Api.HTTP, Outcome.INVALID, System.nanoTime() - started, 0);
      text(ctx.response(), 400, count == null
          ? "count must be an integer between 1 and " + max + ", got '" + countText + "'"
          : "seed must be a 64-bit integer, got '" + seedText + "'");
      return;
    }
    SampleRequest.Builder request = SampleRequest.newBuilder().setCount(count).setSeed(seed);
    addLabels(request, labelText);
    String version = ctx.request().getParam("model_version");
    if (version != null) {
      request.setModelVersion(version);
    }
    sampling.sample(request.build(), Api.HTTP)
        // decoding and PNG encoding are CPU work: off the event loop, unordered so requests run in parallel
        .compose(resp -> vertx.executeBlocking(() -> png(resp, count), false)
            .map(png -> {
              ctx.response().setStatusCode(200)
                  .putHeader("Content-Type", "image/png")
                  .putHeader(MODEL_VERSION_HEADER, resp.getModelVersion())
                  .putHeader("Cache-Control", "no-cache") // the same seed changes as the generator trains
                  .end(Buffer.buffer(png));
              return png;
            }))
        .onFailure(err -> text(ctx.response(), httpStatus(err), message(err)));
  }

  /** What /api/v1/samples.png reads; anything else is a typo the caller should hear about. */
  static final java.util.Set<String> SAMPLE_PARAMETERS = java.util.Set.of("count", "seed", "label", "model_version");

  /** Answers 400 naming the parameter when the query has one that {@code accepted} lacks. */
  private static boolean refuseUnknownParameters(RoutingContext ctx, java.util.Set<String> accepted) {
    for (String name : ctx.request().params().names()) {
      if (!accepted.contains(name)) {
        text(ctx.response(), 400, "unknown parameter '" + name + "'; this route accepts: "
            + String.join(", ", new java.util.TreeSet<>(accepted)));
        return true;
      }
    }
    return false;
  }

  private static byte[] png(SampleResponse resp, int count) {
    return ImageGrid.png(TensorCodec.decode(resp.getImages(), "images", IMAGE_SHAPE, count));
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

  /** The count query parameter, or null when it is not an integer in 1..max. */
  static Integer parseCount(String text, int max) {
    if (text == null) {
      return DEFAULT_COUNT > max ? max : DEFAULT_COUNT;
    }
    try {
      int n = Integer.parseInt(text.trim());
      return n >= 1 && n <= max ? n : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** label=3 or label=1,2,3 (indices), label=Trouser or label=Bag,Coat (names); the generator checks them. */
  private static void addLabels(SampleRequest.Builder request, String text) {
    if (text == null || text.isBlank()) {
      return;
    }
    java.util.List<String> parts = java.util.Arrays.stream(text.split(",")).map(String::trim).toList();
    if (parts.stream().allMatch(p -> p.matches("-?\\d{1,9}"))) {
      request.addAllLabels(parts.stream().map(Integer::valueOf).toList());
    } else {
      request.addAllLabelNames(parts);
    }
  }

  /** The seed query parameter, or null when it is not a long. */
  static Long parseSeed(String text) {
    if (text == null) {
      return DEFAULT_SEED;
    }
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      return null;
    }
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
