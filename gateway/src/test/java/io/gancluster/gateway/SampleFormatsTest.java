package io.gancluster.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.gancluster.proto.v1.SampleRequest;
import io.gancluster.proto.v1.SampleResponse;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sampling routes in JSON and .npy next to the PNG one, over loopback HTTP against a conditional tiny
 * generator: the same pixels as the gRPC API, bit for bit, and the same refusals as samples.png.
 */
class SampleFormatsTest {
  static final String VERSION = "runs/formats/checkpoint-000000042";
  static final List<String> ROUTES = List.of("/api/v1/samples.png", "/api/v1/samples.json", "/api/v1/samples.npy");

  static ConditionalGateway gateway;

  @BeforeAll
  static void start() throws Exception {
    gateway = new ConditionalGateway(VERSION);
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  @Test
  void jsonCarriesTheGrpcFloatsBitForBitWithShapeLabelsSeedAndVersion() throws Exception {
    SampleResponse grpc = gateway.sample(SampleRequest.newBuilder().setCount(3).setSeed(42).addAllLabels(List.of(1, 7, 3))
        .build());

    HttpResponse<Buffer> resp = gateway.get("/api/v1/samples.json?count=3&seed=42&label=1,7,3");

    assertThat(resp.statusCode()).as(resp.bodyAsString()).isEqualTo(200);
    assertThat(resp.getHeader("Content-Type")).isEqualTo("application/json");
    assertThat(resp.getHeader("X-Model-Version")).isEqualTo(VERSION);
    assertThat(resp.getHeader("X-Labels")).isEqualTo("1,7,3");
    JsonObject body = resp.bodyAsJsonObject();
    assertThat(body.getString("model_version")).isEqualTo(VERSION);
    assertThat(body.getLong("seed")).isEqualTo(42);
    assertThat(body.getInteger("count")).isEqualTo(3);
    assertThat(body.getJsonArray("shape").getList()).containsExactly(3, 28, 28);
    assertThat(body.getJsonArray("labels").getList()).containsExactly(1, 7, 3);
    assertThat(flatten(body.getJsonArray("images"), 3)).as("pixels, read back as float32")
        .containsExactly(floats(grpc.getImages().getData().toByteArray()));
  }

  @Test
  void npyIsAVersion1FileOfFloat32CountBy28By28HoldingTheGrpcBytes() throws Exception {
    SampleResponse grpc = gateway.sample(SampleRequest.newBuilder().setCount(5).setSeed(-9).addLabelNames("4").build());

    HttpResponse<Buffer> resp = gateway.get("/api/v1/samples.npy?count=5&seed=-9&label=4");

    assertThat(resp.statusCode()).as(resp.bodyAsString()).isEqualTo(200);
    assertThat(resp.getHeader("Content-Type")).isEqualTo("application/x-npy");
    assertThat(resp.getHeader("X-Model-Version")).isEqualTo(VERSION);
    assertThat(resp.getHeader("X-Labels")).isEqualTo("4,4,4,4,4");
    byte[] npy = resp.body().getBytes();
    assertThat(Arrays.copyOf(npy, 8)).containsExactly(0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0);
    int headerLength = (npy[8] & 0xff) | (npy[9] & 0xff) << 8;
    assertThat((10 + headerLength) % 64).as("data 64-byte aligned, as numpy writes").isZero();
    String header = new String(npy, 10, headerLength, StandardCharsets.US_ASCII);
    assertThat(header).startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (5, 28, 28), }").endsWith("\n");
    assertThat(header.strip()).endsWith("}");
    assertThat(Arrays.copyOfRange(npy, 10 + headerLength, npy.length))
        .isEqualTo(grpc.getImages().getData().toByteArray());
  }

  @Test
  void withoutParametersEachRouteAnswersSixteenImagesOfSeedZeroCyclingThroughTheClasses() throws Exception {
    JsonObject body = gateway.get("/api/v1/samples.json").bodyAsJsonObject();
    assertThat(body.getInteger("count")).isEqualTo(16);
    assertThat(body.getLong("seed")).isZero();
    assertThat(body.getJsonArray("images")).hasSize(16);
    assertThat(body.getJsonArray("labels").getList())
        .isEqualTo(IntStream.range(0, 16).map(i -> i % 10).boxed().toList());

    HttpResponse<Buffer> npy = gateway.get("/api/v1/samples.npy");
    assertThat(npy.statusCode()).isEqualTo(200);
    assertThat(npy.getHeader("X-Labels")).isEqualTo("0,1,2,3,4,5,6,7,8,9,0,1,2,3,4,5");
    assertThat(npy.body().getBytes().length).isEqualTo(128 + 16 * 28 * 28 * 4);
    assertThat(gateway.get("/api/v1/samples.png").getHeader("X-Labels")).isEqualTo(npy.getHeader("X-Labels"));
  }

  @Test
  void everyRouteRefusesTheSameMistakesWithTheSameStatusAndMessage() throws Exception {
    record Case(String query, int status, String message) {}
    List<Case> cases = List.of(
        new Case("count=0", 400, "count must be an integer between 1 and 256, got '0'"),
        new Case("count=257", 400, "count must be an integer between 1 and 256, got '257'"),
        new Case("count=abc", 400, "count must be an integer between 1 and 256"),
        new Case("count=2&seed=x", 400, "seed must be a 64-bit integer, got 'x'"),
        new Case("count=2&label=12", 400, "valid labels are 0..9"),
        new Case("count=2&label=Sock", 400, "unknown label name 'Sock'"),
        new Case("count=2&truncation=0.5", 400, "unknown parameter 'truncation'; this route accepts: count, label, "
            + "model_version, seed"),
        new Case("count=2&model_version=" + "v".repeat(300), 400, "model_version"),
        new Case("count=2&model_version=runs/formats/checkpoint-000000001", 409,
            "'" + VERSION + "'"));
    List<String> seen = new ArrayList<>();
    for (Case c : cases) {
      List<String> answers = new ArrayList<>();
      for (String route : ROUTES) {
        HttpResponse<Buffer> resp = gateway.get(route + "?" + c.query());
        assertThat(resp.statusCode()).as("%s?%s: %s", route, c.query(), resp.bodyAsString()).isEqualTo(c.status());
        assertThat(resp.getHeader("Content-Type")).startsWith("text/plain");
        assertThat(resp.bodyAsString()).contains(c.message());
        answers.add(resp.bodyAsString());
      }
      assertThat(answers).as("the same message from every route for %s", c.query()).containsOnly(answers.get(0));
      seen.add(answers.get(0));
    }
    assertThat(seen).doesNotHaveDuplicates();
  }

  /** count images of 28 rows of 28 JSON numbers, as float32 in C order. */
  private static float[] flatten(JsonArray images, int count) {
    assertThat(images).hasSize(count);
    float[] f = new float[count * 28 * 28];
    int i = 0;
    for (Object image : images) {
      JsonArray rows = (JsonArray) image;
      assertThat(rows).hasSize(28);
      for (Object row : rows) {
        JsonArray pixels = (JsonArray) row;
        assertThat(pixels).hasSize(28);
        for (Object p : pixels) {
          f[i++] = Float.parseFloat(p.toString());
        }
      }
    }
    return f;
  }

  private static float[] floats(byte[] littleEndian) {
    float[] f = new float[littleEndian.length / 4];
    ByteBuffer.wrap(littleEndian).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
    return f;
  }
}
