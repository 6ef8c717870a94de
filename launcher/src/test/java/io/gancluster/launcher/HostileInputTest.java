package io.gancluster.launcher;

import io.gancluster.client.RpcClient;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors;
import io.gancluster.core.checkpoint.Checkpoint;
import io.gancluster.core.checkpoint.CheckpointStore;
import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.model.recipe.Presets;
import io.gancluster.runtime.rpc.Blocking;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.runtime.networkservice.NetworkServiceOptions;
import io.gancluster.discriminator.DiscriminatorVerticle;
import io.gancluster.gateway.GatewayOptions;
import io.gancluster.gateway.GatewayVerticle;
import io.gancluster.gateway.HttpApi;
import io.gancluster.generator.GeneratorTrainer;
import io.gancluster.generator.GeneratorVerticle;
import io.gancluster.generator.serving.FileCheckpointSource;
import io.gancluster.generator.serving.ServingOptions;
import io.gancluster.generator.serving.ServingVerticle;
import io.gancluster.proto.v1.ApplyGradientRequest;
import io.gancluster.proto.v1.DType;
import io.gancluster.proto.v1.DiscriminatorServiceGrpcService;
import io.gancluster.proto.v1.DiscriminatorStepRequest;
import io.gancluster.proto.v1.GeneratorServiceGrpcService;
import io.gancluster.proto.v1.SamplingServiceGrpcService;
import io.gancluster.proto.v1.TrainerServiceGrpcService;
import io.gancluster.proto.v1.FetchCheckpointRequest;
import io.gancluster.proto.v1.GenerateRequest;
import io.gancluster.proto.v1.GeneratorSampleRequest;
import io.gancluster.proto.v1.GeneratorGradientRequest;
import io.gancluster.proto.v1.ModelInfo;
import io.gancluster.proto.v1.NetworkStateBlob;
import io.gancluster.proto.v1.SampleRequest;
import io.gancluster.proto.v1.StartTrainingRequest;
import io.gancluster.proto.v1.Tensor;
import io.gancluster.trainer.run.RunConfig;
import io.gancluster.trainer.service.TrainerOptions;
import io.gancluster.trainer.service.TrainerVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.StreamResetException;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.client.WebClient;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.health.v1.HealthProto;
import io.vertx.grpc.reflection.v1.ServerReflectionProto;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hundreds of malformed requests, seeded so a failure replays, against every gRPC method of every
 * service and every HTTP route: wrong shapes, byte lengths that do not match the shape, huge
 * dimensions, negative counts, NaN, unknown labels, oversized messages, garbage protobuf, and bytes framed
 * by hand that are no message at all (truncated varints, invalid wire types, length prefixes past the body
 * or the limit, half a prefix, an empty body, broken gzip). Each must get a clear error status with a
 * message (never CANCELLED, UNKNOWN or INTERNAL, never a hang), the process's memory must stay flat,
 * and correct requests must still be answered afterwards.
 */
class HostileInputTest {
  static final int ROUNDS = 4;
  /** Statuses that say what was wrong; UNKNOWN / INTERNAL would mean a crash path leaked out. */
  static final Set<GrpcStatus> CLEAR = Set.of(GrpcStatus.INVALID_ARGUMENT, GrpcStatus.RESOURCE_EXHAUSTED,
      GrpcStatus.NOT_FOUND, GrpcStatus.FAILED_PRECONDITION, GrpcStatus.UNIMPLEMENTED, GrpcStatus.OUT_OF_RANGE,
      GrpcStatus.UNAUTHENTICATED);

  @TempDir
  Path tmp;

  private Vertx vertx;

  @AfterEach
  void close() {
    Blocking.await(vertx.close(), Duration.ofSeconds(30));
  }

  @Test
  void everyMalformedRequestGetsAClearErrorAndNothingLeaksOrBreaks() throws Exception {
    vertx = Vertx.vertx();
    Preset tiny = Presets.get("tiny");
    DiscriminatorVerticle d = deploy(new DiscriminatorVerticle(NetworkServiceOptions.forDiscriminator(tiny, 2).setPort(0)));
    GeneratorVerticle g = deploy(new GeneratorVerticle(NetworkServiceOptions.forGenerator(tiny, 2).setPort(0)));
    TrainerVerticle trainer = deploy(new TrainerVerticle(new TrainerOptions().setPort(0).setAutoStart(false)
        .setGenerator(new HostPort("127.0.0.1", g.actualPort())).setDiscriminator(new HostPort("127.0.0.1", d.actualPort()))
        .setRun(new RunConfig("tiny", "mnist", 2, tmp.resolve("run"), 10, 0, 10))));
    Path checkpoint = new CheckpointStore(tmp.resolve("served/checkpoints"), 1).write(new Checkpoint(1, 0, 2,
        Map.of("preset", "tiny", "generator", tiny.generatorRecipe(), "latent", "normal", "label_names", ""),
        new GeneratorTrainer(tiny, org.nd4j.linalg.api.buffer.DataType.FLOAT, 2).exportState(), new byte[0]));
    ServingVerticle replica = deploy(new ServingVerticle(new ServingOptions().setPort(0),
        v -> new FileCheckpointSource(v, checkpoint)));
    GatewayVerticle gateway = deploy(new GatewayVerticle(new GatewayOptions().setHttpPort(0).setGrpcPort(0)
        .setGenerator(new HostPort("127.0.0.1", g.actualPort()))));
    Blocking.await(replica.reloader().firstModel(), Duration.ofSeconds(60));

    Map<String, SocketAddress> grpc = new TreeMap<>(Map.of(
        "generator", at(g.actualPort()), "discriminator", at(d.actualPort()), "trainer", at(trainer.actualPort()),
        "gateway", at(gateway.actualGrpcPort()), "replica", at(replica.actualPort())));
    RpcClient client = RpcClient.plain(vertx);
    HttpClient h2 = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false));
    int unframed = 0;
    WebClient web = WebClient.create(vertx);
    int http = gateway.actualHttpPort();
    // the routes come from the OpenAPI document the gateway serves (OpenApiDocumentTest holds it equal to the
    // router), so a new route gets every hostile case below without being added here
    var openApi = Blocking.await(web.request(HttpMethod.GET, http, "127.0.0.1", HttpApi.OPENAPI_PATH).send(),
        Duration.ofSeconds(20));
    assertThat(openApi.statusCode()).isEqualTo(200);
    List<String> routes = new ArrayList<>(new TreeSet<>(openApi.bodyAsJsonObject().getJsonObject("paths").fieldNames()));
    assertThat(routes).as("HTTP routes").contains("/", HttpApi.SAMPLES_PATH, HttpApi.SAMPLES_JSON_PATH,
        HttpApi.SAMPLES_NPY_PATH, HttpApi.LABELS_PATH, HttpApi.OPENAPI_PATH, HttpApi.HEALTH_PATH, HttpApi.METRICS_PATH,
        HttpApi.TRAINING_PATH, HttpApi.CHART_PATH).containsAll(HttpApi.queryParameters().keySet());
    int httpRequests = 0;

    Random rnd = new Random(20261123);
    Map<GrpcStatus, Integer> statuses = new EnumMap<>(GrpcStatus.class);
    Map<Integer, Integer> httpCodes = new TreeMap<>();
    List<String> unclear = new ArrayList<>();
    int sent = 0;
    long rssAfterWarmup = 0;
    for (int round = 0; round < ROUNDS; round++) {
      for (Case c : grpcCases(rnd)) {
        for (Map.Entry<String, SocketAddress> target : grpc.entrySet()) {
          if (!c.service().isEmpty() && !c.targets(target.getKey())) {
            continue;
          }
          Outcome o = raw(client, target.getValue(), c.method(), c.body().get());
          sent++;
          statuses.merge(o.status(), 1, Integer::sum);
          if (c.name().equals("garbage") && o.status() == GrpcStatus.OK) {
            continue; // random bytes may happen to parse; bytes that do not must be refused with a message
          }
          if (!CLEAR.contains(o.status()) || o.message().isBlank()) {
            unclear.add(target.getKey() + " " + c.method() + " [" + c.name() + "]: " + o.status() + " '" + o.message() + "'");
          }
        }
      }
      // bytes that are no message of the method at all, framed by hand: every method of every server
      for (Map.Entry<String, SocketAddress> target : grpc.entrySet()) {
        for (String method : methodsOf(target.getKey())) {
          for (Frame f : frames(rnd)) {
            Outcome o = rawFrames(h2, target.getValue(), method, f.bytes(), f.headers());
            sent++;
            unframed++;
            statuses.merge(o.status(), 1, Integer::sum);
            if (!CLEAR.contains(o.status()) || o.message().isBlank()) {
              unclear.add(target.getKey() + " " + method + " [" + f.name() + "]: " + o.status() + " '" + o.message() + "'");
            }
          }
        }
      }
      // every route the gateway serves gets every hostile query; a route that reads its query must refuse
      // each (4xx), one that reads none may ignore it (2xx); none may fail (5xx) or refuse without a message
      for (String route : routes) {
        boolean readsQuery = HttpApi.queryParameters().containsKey(route);
        for (String query : hostileQueries(rnd)) {
          String path = route + "?" + query;
          var resp = Blocking.await(web.request(HttpMethod.GET, http, "127.0.0.1", path).timeout(10_000).send(),
              Duration.ofSeconds(20));
          sent++;
          httpRequests++;
          httpCodes.merge(resp.statusCode(), 1, Integer::sum);
          String body = resp.bodyAsString() == null ? "" : resp.bodyAsString();
          if ((readsQuery && resp.statusCode() < 400) || resp.statusCode() >= 500
              || (resp.statusCode() >= 400 && body.isBlank())) {
            unclear.add("HTTP GET " + path + ": " + resp.statusCode() + " '" + body.strip() + "'");
          }
        }
        var post = Blocking.await(web.request(HttpMethod.POST, http, "127.0.0.1", route)
            .sendBuffer(Buffer.buffer(new byte[64 * 1024])), Duration.ofSeconds(20));
        sent++;
        httpRequests++;
        httpCodes.merge(post.statusCode(), 1, Integer::sum);
        String postBody = post.bodyAsString() == null ? "" : post.bodyAsString();
        if (post.statusCode() < 400 || post.statusCode() >= 500 || postBody.isBlank()) {
          unclear.add("HTTP POST " + route + ": " + post.statusCode() + " '" + postBody.strip() + "'");
        }
      }
      for (String path : List.of("/api/v1/nothing-here", "/../../etc/passwd", "/api/v1/samples.png/../../x",
          "/api/v1/" + "x".repeat(1000))) {
        var resp = Blocking.await(web.request(HttpMethod.GET, http, "127.0.0.1", path).timeout(10_000).send(),
            Duration.ofSeconds(20));
        sent++;
        httpRequests++;
        httpCodes.merge(resp.statusCode(), 1, Integer::sum);
        String body = resp.bodyAsString() == null ? "" : resp.bodyAsString();
        if (resp.statusCode() < 400 || resp.statusCode() >= 500 || body.isBlank()) {
          unclear.add("HTTP GET " + path + ": " + resp.statusCode() + " '" + body.strip() + "'");
        }
      }
      if (round == 0) {
        System.gc();
        rssAfterWarmup = rssBytes();
      }
    }
    System.gc();
    long rssGrowth = rssBytes() - rssAfterWarmup;
    System.out.printf("hostile input: %d malformed requests (%d not a message of the method, %d HTTP to %d routes); "
        + "gRPC %s; HTTP %s; RSS growth after round 1: %d MiB%n", sent, unframed, httpRequests, routes.size(), statuses,
        httpCodes, rssGrowth >> 20);

    assertThat(sent).isGreaterThanOrEqualTo(500);
    assertThat(unframed).as("unparsable requests sent").isGreaterThanOrEqualTo(ROUNDS * 40 * 10);
    assertThat(httpRequests).as("hostile HTTP requests sent").isGreaterThanOrEqualTo(ROUNDS * routes.size() * 15);
    assertThat(unclear).as("requests without a clear error").isEmpty();
    assertThat(rssGrowth).as("resident memory growth over %d rounds", ROUNDS - 1).isLessThan(256L << 20);

    // and correct requests are still answered everywhere
    SampleRequest ok = SampleRequest.newBuilder().setCount(4).setSeed(42).build();
    for (String name : List.of("generator", "gateway", "replica")) {
      String method = name.equals("gateway") ? "gan.v1.SamplingService/Sample" : "gan.v1.GeneratorService/Sample";
      Outcome o = raw(client, grpc.get(name), method, ok.toByteArray());
      assertThat(o.status()).as(name + ": " + o.message()).isEqualTo(GrpcStatus.OK);
    }
    assertThat(Blocking.await(web.request(HttpMethod.GET, http, "127.0.0.1", "/api/v1/samples.png?count=4&seed=1")
        .send(), Duration.ofSeconds(20)).statusCode()).isEqualTo(200);
  }

  /** One malformed call: its gRPC method, which services it is sent to, and its bytes. */
  record Case(String name, String service, String method, Supplier<byte[]> body) {
    boolean targets(String target) {
      return service.equals(target) || (service.equals("generator") && target.equals("replica"));
    }
  }

  record Outcome(GrpcStatus status, String message) {}

  private List<Case> grpcCases(Random rnd) {
    List<Case> cases = new ArrayList<>();
    String gen = "gan.v1.GeneratorService/";
    String dis = "gan.v1.DiscriminatorService/";
    String tr = "gan.v1.TrainerService/";
    String pub = "gan.v1.SamplingService/";
    // garbage protobuf to every method of every service (the method decides the parser)
    for (String m : List.of(gen + "Generate", gen + "ApplyGradient", gen + "Sample", gen + "ImportState",
        gen + "PublishModel", dis + "TrainStep", dis + "GeneratorGradient", dis + "ImportState", tr + "Start",
        tr + "FetchCheckpoint", pub + "Sample", "grpc.reflection.v1.ServerReflection/ServerReflectionInfo")) {
      cases.add(new Case("garbage", "", m, () -> garbage(rnd)));
    }
    cases.add(new Case("unknown method", "", "gan.v1.GeneratorService/Explode", () -> new byte[] {1, 2, 3}));
    cases.add(new Case("unknown service", "", "evil.Service/Call", () -> new byte[0]));
    // wrong shapes, lengths, huge dimensions, NaN
    cases.add(new Case("z wrong width", "generator", gen + "Generate", () -> GenerateRequest.newBuilder()
        .setZ(floats(new long[] {4, 3}, 12, rnd)).build().toByteArray()));
    cases.add(new Case("z bytes do not match shape", "generator", gen + "Generate", () -> GenerateRequest.newBuilder()
        .setZ(floats(new long[] {4, 8}, 5, rnd)).build().toByteArray()));
    cases.add(new Case("z 10 GB shape", "generator", gen + "Generate", () -> GenerateRequest.newBuilder()
        .setZ(floats(new long[] {1L << 30, 8}, 8, rnd)).build().toByteArray()));
    cases.add(new Case("z negative dimension", "generator", gen + "Generate", () -> GenerateRequest.newBuilder()
        .setZ(floats(new long[] {-4, 8}, 8, rnd)).build().toByteArray()));
    cases.add(new Case("z NaN", "generator", gen + "Generate", () -> GenerateRequest.newBuilder()
        .setZ(nan(new long[] {2, 8})).build().toByteArray()));
    cases.add(new Case("z uint8", "generator", gen + "Generate", () -> GenerateRequest.newBuilder()
        .setZ(Tensor.newBuilder().addShape(2).addShape(8).setDtype(DType.DTYPE_UINT8).setData(ByteString.copyFrom(new byte[16])))
        .build().toByteArray()));
    cases.add(new Case("labels for an unconditional model", "generator", gen + "Generate", () -> GenerateRequest
        .newBuilder().setZ(floats(new long[] {2, 8}, 16, rnd)).addLabels(3).addLabels(4).build().toByteArray()));
    cases.add(new Case("gradient for unknown step", "generator", gen + "ApplyGradient", () -> ApplyGradientRequest
        .newBuilder().setStepId(rnd.nextLong()).setGradImages(floats(new long[] {2, 1, 28, 28}, 2 * 784, rnd))
        .build().toByteArray()));
    cases.add(new Case("gradient 10 GB shape", "generator", gen + "ApplyGradient", () -> ApplyGradientRequest
        .newBuilder().setGradImages(floats(new long[] {1L << 24, 1, 28, 28}, 10, rnd)).build().toByteArray()));
    for (int count : new int[] {0, -1, -rnd.nextInt(1 << 30), 257, Integer.MAX_VALUE}) {
      cases.add(new Case("count " + count, "generator", gen + "Sample", () -> GeneratorSampleRequest.newBuilder()
          .setCount(count).setSeed(1).build().toByteArray()));
      cases.add(new Case("count " + count, "gateway", pub + "Sample", () -> SampleRequest.newBuilder()
          .setCount(count).setSeed(1).build().toByteArray()));
    }
    cases.add(new Case("label for unconditional model", "generator", gen + "Sample", () -> GeneratorSampleRequest
        .newBuilder().setCount(2).addLabels(3).build().toByteArray()));
    cases.add(new Case("model version not held", "generator", gen + "Sample", () -> GeneratorSampleRequest.newBuilder()
        .setCount(2).setModelVersion("run/checkpoint-" + rnd.nextInt(1 << 20)).build().toByteArray()));
    cases.add(new Case("model version not held", "gateway", pub + "Sample", () -> SampleRequest.newBuilder()
        .setCount(2).setModelVersion("run/checkpoint-" + rnd.nextInt(1 << 20)).build().toByteArray()));
    cases.add(new Case("model version too long", "", pub + "Sample", () -> SampleRequest.newBuilder()
        .setCount(2).setModelVersion("v".repeat(257 + rnd.nextInt(10_000))).build().toByteArray()));
    cases.add(new Case("model version with control characters", "", gen + "Sample", () -> GeneratorSampleRequest
        .newBuilder().setCount(2).setModelVersion("run/\u0000\n" + rnd.nextInt()).build().toByteArray()));
    cases.add(new Case("unknown format", "gateway", pub + "Sample", () -> SampleRequest.newBuilder()
        .setCount(2).setFormatValue(4 + rnd.nextInt(1000)).build().toByteArray()));
    cases.add(new Case("unknown label name", "gateway", pub + "Sample", () -> SampleRequest.newBuilder()
        .setCount(2).addLabelNames("Sneaker-" + rnd.nextInt()).build().toByteArray()));
    cases.add(new Case("labels and names", "gateway", pub + "Sample", () -> SampleRequest.newBuilder()
        .setCount(2).addLabels(1).addLabelNames("x").build().toByteArray()));
    cases.add(new Case("oversized message", "gateway", pub + "Sample", () -> SampleRequest.newBuilder().setCount(2)
        .addLabelNames("x".repeat(2 * 1024 * 1024)).build().toByteArray()));
    cases.add(new Case("state of the other network", "generator", gen + "ImportState", () -> NetworkStateBlob
        .newBuilder().setNetwork("discriminator").setPayload(ByteString.copyFrom(garbage(rnd))).build().toByteArray()));
    cases.add(new Case("corrupt state", "generator", gen + "ImportState", () -> NetworkStateBlob.newBuilder()
        .setPayload(ByteString.copyFrom(garbage(rnd))).build().toByteArray()));
    cases.add(new Case("wrong label names", "generator", gen + "PublishModel", () -> ModelInfo.newBuilder()
        .setVersion("x").addLabelNames("a").build().toByteArray()));
    cases.add(new Case("fakes wrong shape", "discriminator", dis + "TrainStep", () -> DiscriminatorStepRequest
        .newBuilder().setReal(floats(new long[] {2, 1, 28, 28}, 2 * 784, rnd)).setFake(floats(new long[] {2, 28, 28}, 2 * 784, rnd))
        .build().toByteArray()));
    cases.add(new Case("real NaN", "discriminator", dis + "TrainStep", () -> DiscriminatorStepRequest.newBuilder()
        .setReal(nan(new long[] {2, 1, 28, 28})).setFake(floats(new long[] {2, 1, 28, 28}, 2 * 784, rnd))
        .build().toByteArray()));
    cases.add(new Case("real and fake batches differ", "discriminator", dis + "TrainStep", () -> DiscriminatorStepRequest
        .newBuilder().setReal(floats(new long[] {3, 1, 28, 28}, 3 * 784, rnd))
        .setFake(floats(new long[] {2, 1, 28, 28}, 2 * 784, rnd)).build().toByteArray()));
    cases.add(new Case("huge batch", "discriminator", dis + "GeneratorGradient", () -> GeneratorGradientRequest
        .newBuilder().setFake(floats(new long[] {1L << 31, 1, 28, 28}, 4, rnd)).build().toByteArray()));
    cases.add(new Case("max_steps given", "trainer", tr + "Start", () -> StartTrainingRequest.newBuilder()
        .setMaxSteps(1 + rnd.nextInt(1000)).build().toByteArray()));
    cases.add(new Case("path as version", "trainer", tr + "FetchCheckpoint", () -> FetchCheckpointRequest.newBuilder()
        .setVersion("../".repeat(1 + rnd.nextInt(6)) + "etc/passwd").build().toByteArray()));
    return cases;
  }

  /** Query strings that no route should take: each is sent to every HTTP route. */
  private static List<String> hostileQueries(Random rnd) {
    return List.of("count=-1", "count=0", "count=abc", "count=100000", "count=4&seed=x", "count=4&label=99",
        "count=4&label_name=nope", "count=4&truncation=NaN", "count=" + "9".repeat(40),
        "count=4&label=-" + rnd.nextInt(1000), "count=%ZZ", "count=4&seed=1&label=1&label=2&label=3",
        "count=4&model_version=run/checkpoint-" + rnd.nextInt(1000), "count=4&model_version=" + "v".repeat(300),
        "count=4&model_version=%00%0A", "count=4&%ZZ=1&seed=" + rnd.nextLong());
  }

  private Outcome raw(RpcClient client, SocketAddress address, String method, byte[] body) {
    try {
      return client.grpc().request(address).compose(req -> {
        req.fullMethodName(method);
        req.timeout(10, TimeUnit.SECONDS);
        return req.send(Buffer.buffer(body));
      }).compose(resp -> resp.last().map(v -> new Outcome(resp.status(), Objects.toString(resp.statusMessage(), "")))
          .recover(err -> Future.succeededFuture(new Outcome(resp.status() == null ? GrpcStatus.UNKNOWN : resp.status(),
              resp.statusMessage() == null ? String.valueOf(err.getMessage()) : resp.statusMessage()))))
          .recover(err -> Future.succeededFuture(err instanceof io.vertx.grpc.common.GrpcErrorException e
              ? new Outcome(e.status(), "stream reset: " + e.getMessage())
              : new Outcome(GrpcStatus.UNKNOWN, "transport: " + err)))
          .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      return new Outcome(GrpcStatus.UNKNOWN, "no answer in 20 s: " + e);
    }
  }

  /** The gRPC methods {@code target} serves: its own services' and every server's health and reflection. */
  private static List<String> methodsOf(String target) {
    List<Descriptors.ServiceDescriptor> services = new ArrayList<>(List.of(
        HealthProto.getDescriptor().findServiceByName("Health"),
        ServerReflectionProto.getDescriptor().findServiceByName("ServerReflection")));
    services.add(switch (target) {
      case "generator", "replica" -> GeneratorServiceGrpcService.SERVICE_DESCRIPTOR;
      case "discriminator" -> DiscriminatorServiceGrpcService.SERVICE_DESCRIPTOR;
      case "trainer" -> TrainerServiceGrpcService.SERVICE_DESCRIPTOR;
      case "gateway" -> SamplingServiceGrpcService.SERVICE_DESCRIPTOR;
      default -> throw new IllegalArgumentException(target);
    });
    List<String> methods = new ArrayList<>();
    for (Descriptors.ServiceDescriptor service : services) {
      for (Descriptors.MethodDescriptor m : service.getMethods()) {
        methods.add(service.getFullName() + "/" + m.getName());
      }
    }
    return methods;
  }

  /** A request body framed by hand (5-byte gRPC prefix, then payload) and extra request headers. */
  record Frame(String name, byte[] bytes, Map<String, String> headers) {}

  /** Bodies that are not one whole message of any method (no protobuf type parses them). */
  private static List<Frame> frames(Random rnd) {
    byte[] overlong = new byte[11];
    java.util.Arrays.fill(overlong, (byte) 0xFF);
    byte[] garbage = new byte[8 + rnd.nextInt(100)];
    rnd.nextBytes(garbage);
    garbage[0] = (byte) 0x07; // field 0: never a valid tag, whatever follows
    return List.of(
        new Frame("truncated varint", frame(0, 2, new byte[] {0x08, (byte) 0xFF}), Map.of()),
        new Frame("varint longer than 10 bytes", frame(0, overlong.length, overlong), Map.of()),
        new Frame("wire type 7", frame(0, 2, new byte[] {0x0F, 0x01}), Map.of()),
        new Frame("end group without start", frame(0, 1, new byte[] {0x0C}), Map.of()),
        new Frame("length-delimited field past the end", frame(0, 3, new byte[] {0x0A, 0x7F, 0x01}), Map.of()),
        new Frame("tag zero then garbage", frame(0, garbage.length, garbage), Map.of()),
        new Frame("length prefix 4 GiB - 1", frame(0, 0xFFFFFFFFL, new byte[16]), Map.of()),
        new Frame("length prefix over the limit", frame(0, 600L << 20, new byte[] {0x08, 0x01}), Map.of()),
        new Frame("length prefix past the body", frame(0, 1000, new byte[] {0x08, 0x01}), Map.of()),
        new Frame("half a prefix", new byte[] {0, 0, 0}, Map.of()),
        new Frame("empty body", new byte[0], Map.of()),
        new Frame("gzip flag, not gzip", frame(1, 4, new byte[] {1, 2, 3, 4}), Map.of("grpc-encoding", "gzip")),
        new Frame("compressed flag without grpc-encoding", frame(1, 2, new byte[] {0x08, 0x01}), Map.of()),
        new Frame("gzip flag, unknown encoding", frame(1, 2, new byte[] {0x08, 0x01}), Map.of("grpc-encoding", "x-rot13")));
  }

  private static byte[] frame(int flag, long declaredLength, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(5 + payload.length);
    b.put((byte) flag).putInt((int) declaredLength).put(payload);
    return b.array();
  }

  /** Sends {@code body} as it is (no framing added) and reads the gRPC status from headers or trailers. */
  private Outcome rawFrames(HttpClient h2, SocketAddress address, String method, byte[] body, Map<String, String> headers) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setServer(address).setURI("/" + method)
        .putHeader("content-type", "application/grpc").putHeader("te", "trailers").putHeader("grpc-timeout", "10S")
        .setTimeout(10_000);
    headers.forEach(options::putHeader);
    try {
      return h2.request(options).compose(req -> req.send(Buffer.buffer(body))).compose(resp -> {
        if (resp.getHeader("grpc-status") != null) {
          // trailers-only: the answer is complete (the server may then reset the stream it stopped reading)
          return Future.succeededFuture(outcome(resp.getHeader("grpc-status"), resp.getHeader("grpc-message")));
        }
        return resp.body().map(b -> resp.getTrailer("grpc-status") == null
            ? new Outcome(GrpcStatus.UNKNOWN, "HTTP " + resp.statusCode() + " without grpc-status")
            : outcome(resp.getTrailer("grpc-status"), resp.getTrailer("grpc-message")));
      }).recover(err -> Future.succeededFuture(err instanceof StreamResetException
          ? new Outcome(GrpcStatus.CANCELLED, "") // a reset stream says nothing
          : new Outcome(GrpcStatus.UNKNOWN, "transport: " + err)))
          .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      return new Outcome(GrpcStatus.UNKNOWN, "no answer in 20 s: " + e);
    }
  }

  private static Outcome outcome(String status, String message) {
    return new Outcome(GrpcStatus.valueOf(Integer.parseInt(status)),
        message == null ? "" : URLDecoder.decode(message, StandardCharsets.UTF_8));
  }

  private static byte[] garbage(Random rnd) {
    byte[] b = new byte[rnd.nextInt(200)];
    rnd.nextBytes(b);
    return b;
  }

  private static Tensor floats(long[] shape, int elements, Random rnd) {
    ByteBuffer buf = ByteBuffer.allocate(elements * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < elements; i++) {
      buf.putFloat(rnd.nextFloat() * 2 - 1);
    }
    Tensor.Builder t = Tensor.newBuilder().setDtype(DType.DTYPE_FLOAT32).setData(ByteString.copyFrom(buf.array()));
    for (long s : shape) {
      t.addShape(s);
    }
    return t.build();
  }

  private static Tensor nan(long[] shape) {
    int n = 1;
    for (long s : shape) {
      n *= (int) s;
    }
    ByteBuffer buf = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      buf.putFloat(i % 7 == 0 ? Float.NaN : 0.5f);
    }
    Tensor.Builder t = Tensor.newBuilder().setDtype(DType.DTYPE_FLOAT32).setData(ByteString.copyFrom(buf.array()));
    for (long s : shape) {
      t.addShape(s);
    }
    return t.build();
  }

  private static long rssBytes() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
      }
    }
    return 0;
  }

  private static SocketAddress at(int port) {
    return SocketAddress.inetSocketAddress(port, "127.0.0.1");
  }

  private <T extends io.vertx.core.Deployable> T deploy(T verticle) {
    Blocking.await(vertx.deployVerticle(verticle), Duration.ofMinutes(1));
    return verticle;
  }
}
