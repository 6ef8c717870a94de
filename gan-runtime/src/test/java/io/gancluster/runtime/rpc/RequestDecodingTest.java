package io.gancluster.runtime.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.gancluster.runtime.security.Security;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.StreamResetException;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.health.HealthService;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.health.v1.HealthCheckResponse;
import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Requests whose bytes are no message of the method, against a real server on loopback (the health service). */
class RequestDecodingTest {
  private static final long LIMIT = 64 * 1024;
  private static final String CHECK = "/grpc.health.v1.Health/Check";

  private Vertx vertx;
  private Context context;
  private HttpClient h2;
  private int port;

  record Answer(GrpcStatus status, String message, byte[] body) {}

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    HealthService health = HealthService.create(vertx).register("gan.v1.Test", () -> Future.succeededFuture(true));
    port = Blocking.await(GrpcEndpoints.listen(vertx, GrpcEndpoints.server(vertx, List.of(health), LIMIT), "127.0.0.1", 0,
        Security.NONE), Duration.ofSeconds(10)).actualPort();
    context = vertx.getOrCreateContext();
    h2 = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
  }

  @AfterEach
  void stop() {
    Blocking.await(vertx.close(), Duration.ofSeconds(10));
  }

  @Test
  void bytesThatDoNotParseGetInvalidArgumentNamingTheMessageTypeAndTheParsersReason() {
    Answer a = call(CHECK, frame(0, new byte[] {0x0F, 0x01}), Map.of());
    assertThat(a.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(a.message()).startsWith("request is not a valid grpc.health.v1.HealthCheckRequest: ")
        .containsIgnoringCase("wire type");

    Answer truncated = call(CHECK, frame(0, new byte[] {0x0A, 0x7F, 0x01}), Map.of());
    assertThat(truncated.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(truncated.message()).startsWith("request is not a valid grpc.health.v1.HealthCheckRequest: ")
        .contains("truncated");
  }

  @Test
  void aWellFormedRequestIsStillAnsweredPlainOrGzipped() throws Exception {
    byte[] request = HealthCheckRequest.newBuilder().setService("gan.v1.Test").build().toByteArray();
    Answer plain = call(CHECK, frame(0, request), Map.of());
    assertThat(plain.status()).isEqualTo(GrpcStatus.OK);
    assertThat(HealthCheckResponse.parseFrom(payload(plain.body())).getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

    Answer gzipped = call(CHECK, frame(1, gzip(request)), Map.of("grpc-encoding", "gzip"));
    assertThat(gzipped.status()).as(gzipped.message()).isEqualTo(GrpcStatus.OK);
    assertThat(HealthCheckResponse.parseFrom(payload(gzipped.body())).getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
  }

  @Test
  void aLengthPrefixOverTheLimitIsRefusedWithBothSizes() {
    Answer a = call(CHECK, prefix(0, 0xFFFFFFF0L, new byte[32]), Map.of());
    assertThat(a.status()).isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
    assertThat(a.message()).contains(Long.toString(0xFFFFFFF0L)).contains(Long.toString(LIMIT));
  }

  @Test
  void aRequestThatEndsInsideItsMessageOrHasNoneIsRefusedNotLeftHanging() {
    for (byte[] body : List.of(prefix(0, 1000, new byte[] {0x08, 0x01}), new byte[] {0, 0, 0}, new byte[0])) {
      Answer a = call(CHECK, body, Map.of());
      assertThat(a.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
      assertThat(a.message()).isEqualTo("the request ended before a complete grpc.health.v1.HealthCheckRequest arrived");
    }
  }

  @Test
  void aSecondMessageToAMethodThatTakesOneIsRefused() {
    byte[] one = frame(0, HealthCheckRequest.newBuilder().setService("gan.v1.Test").build().toByteArray());
    byte[] two = ByteBuffer.allocate(2 * one.length).put(one).put(one).array();
    // Watch answers the first at once and keeps the stream open: the second ends it
    Answer a = call("/grpc.health.v1.Health/Watch", two, Map.of());
    assertThat(a.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(a.message()).isEqualTo("a second grpc.health.v1.HealthCheckRequest in one request: "
        + "grpc.health.v1.Health/Watch takes one message");
  }

  @Test
  void compressionProblemsAreNamed() throws Exception {
    Answer noHeader = call(CHECK, frame(1, new byte[] {0x08, 0x01}), Map.of());
    assertThat(noHeader.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(noHeader.message()).contains("no grpc-encoding header");

    Answer notGzip = call(CHECK, frame(1, new byte[] {1, 2, 3, 4}), Map.of("grpc-encoding", "gzip"));
    assertThat(notGzip.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(notGzip.message()).startsWith("request is gzip-encoded but not valid gzip");

    Answer unknown = call(CHECK, frame(1, new byte[] {1}), Map.of("grpc-encoding", "x-snappy"));
    assertThat(unknown.status()).isEqualTo(GrpcStatus.UNIMPLEMENTED);
    assertThat(unknown.message()).contains("x-snappy");

    // 16 MiB of zeros: 16 KiB on the wire, 256 times the limit once inflated
    byte[] bomb = gzip(new byte[16 << 20]);
    assertThat(bomb.length).isLessThan((int) LIMIT);
    Answer inflated = call(CHECK, frame(1, bomb), Map.of("grpc-encoding", "gzip"));
    assertThat(inflated.status()).isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
    assertThat(inflated.message()).contains("inflates past this server's limit of " + LIMIT + " bytes");
  }

  @Test
  void hundredsOfBadRequestsOnOneConnectionAreEachAnsweredAndTheServerStillServes() {
    List<byte[]> bodies = List.of(frame(0, new byte[] {0x0F}), frame(0, new byte[] {0x0C}), new byte[0],
        prefix(0, 0xFFFFFFFFL, new byte[8]), prefix(0, 100, new byte[3]), frame(1, new byte[] {0x08}));
    List<String> unclear = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      Answer a = call(i % 2 == 0 ? CHECK : "/grpc.health.v1.Health/Watch", bodies.get(i % bodies.size()), Map.of());
      if ((a.status() != GrpcStatus.INVALID_ARGUMENT && a.status() != GrpcStatus.RESOURCE_EXHAUSTED) || a.message().isBlank()) {
        unclear.add(i + ": " + a.status() + " '" + a.message() + "'");
      }
    }
    assertThat(unclear).isEmpty();
    Answer ok = call(CHECK, frame(0, new byte[0]), Map.of());
    assertThat(ok.status()).isEqualTo(GrpcStatus.OK);
  }

  private Answer call(String path, byte[] body, Map<String, String> headers) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
        .setURI(path).putHeader("content-type", "application/grpc").putHeader("te", "trailers");
    headers.forEach(options::putHeader);
    // every call from one context: a call made from the test thread gets a context of its own, and on the
    // connection a previous call opened, the response's body can be delivered before its handler is set
    Promise<Answer> answer = Promise.promise();
    context.runOnContext(v -> h2.request(options).compose(req -> req.send(Buffer.buffer(body))).compose(resp -> {
      if (resp.getHeader("grpc-status") != null) {
        // trailers-only: the answer is complete (the server may then reset the stream it stopped reading)
        return Future.succeededFuture(answer(resp.getHeader("grpc-status"), resp.getHeader("grpc-message"), new byte[0]));
      }
      return resp.body().map(b -> answer(resp.getTrailer("grpc-status"), resp.getTrailer("grpc-message"), b.getBytes()));
    }).recover(err -> Future.succeededFuture(new Answer(err instanceof StreamResetException ? GrpcStatus.CANCELLED
        : GrpcStatus.UNKNOWN, "", new byte[0]))).onComplete(answer));
    try {
      return answer.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      return new Answer(GrpcStatus.UNKNOWN, "no answer in 10 s: " + e, new byte[0]);
    }
  }

  private static Answer answer(String status, String message, byte[] body) {
    return new Answer(status == null ? GrpcStatus.UNKNOWN : GrpcStatus.valueOf(Integer.parseInt(status)),
        message == null ? "" : URLDecoder.decode(message, StandardCharsets.UTF_8), body);
  }

  private static byte[] frame(int flag, byte[] payload) {
    return prefix(flag, payload.length, payload);
  }

  private static byte[] prefix(int flag, long declaredLength, byte[] payload) {
    return ByteBuffer.allocate(5 + payload.length).put((byte) flag).putInt((int) declaredLength).put(payload).array();
  }

  private static byte[] payload(byte[] framed) {
    return java.util.Arrays.copyOfRange(framed, 5, framed.length);
  }

  private static byte[] gzip(byte[] data) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(data);
    }
    return out.toByteArray();
  }
}
