package io.gancluster.gateway;

import static io.gancluster.gateway.TestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.gancluster.client.GeneratorClient;
import io.gancluster.client.RpcClient;
import io.gancluster.core.model.recipe.Conditioning;
import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.model.recipe.Presets;
import io.gancluster.generator.GeneratorVerticle;
import io.gancluster.proto.v1.ImageFormat;
import io.gancluster.proto.v1.ModelInfo;
import io.gancluster.proto.v1.SampleRequest;
import io.gancluster.proto.v1.SampleResponse;
import io.gancluster.proto.v1.SamplingServiceGrpcClient;
import io.gancluster.runtime.rpc.HostPort;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python client in clients/python/ against a loopback gateway in front of a conditional tiny generator:
 * it generates its stubs from the repository's protos, asks for 16 threes with seed 42, and its decoded
 * values and PNG grid equal what the gateway itself answers (float32 bit for bit, the gateway's own PNG
 * grid pixel for pixel). Skipped where /usr/bin/python3 lacks grpc, grpc_tools or numpy.
 */
class PythonClientIT {
  static final Path PYTHON = Path.of("/usr/bin/python3");
  /** The tests run in the gateway module's folder. */
  static final Path CLIENT = Path.of("..", "clients", "python", "sample.py").toAbsolutePath().normalize();
  static final String VERSION = "runs/python-it/checkpoint-000000042";
  static final List<String> DIGITS = IntStream.range(0, 10).mapToObj(Integer::toString).toList();

  static Vertx vertx;
  static GatewayVerticle gateway;

  @TempDir
  static Path stubs;

  @TempDir
  Path tmp;

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(PYTHON) && run(List.of(PYTHON.toString(), "-c",
        "import grpc, grpc_tools.protoc, numpy"), null).exit() == 0,
        "/usr/bin/python3 lacks grpc, grpc_tools or numpy (sudo apt-get install python3-grpcio python3-grpc-tools "
            + "python3-numpy): the Python client test is skipped");
    vertx = Vertx.vertx();
    Preset tiny = Presets.get("tiny");
    Preset conditional = tiny.withModel(tiny.model().withConditioning(new Conditioning(10,
        Conditioning.GeneratorLabels.CONCAT, Conditioning.DiscriminatorLabels.INPUT_CHANNEL)));
    GeneratorVerticle generator = GeneratorVerticle.forPreset(conditional, 7, 0);
    await(vertx.deployVerticle(generator));
    HostPort address = new HostPort("127.0.0.1", generator.actualPort());
    await(new GeneratorClient(RpcClient.plain(vertx), address).publishModel(ModelInfo.newBuilder().setVersion(VERSION)
        .addAllLabelNames(DIGITS).build()));
    gateway = new GatewayVerticle(new GatewayOptions().setHttpPort(0).setGrpcPort(0).setGenerator(address));
    await(vertx.deployVerticle(gateway));
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      await(vertx.close());
    }
  }

  @Test
  void sixteenThreesWithSeed42DecodeAndDrawAsTheGatewayAnswers() throws Exception {
    Path png = tmp.resolve("threes.png");
    Path npy = tmp.resolve("threes.npy");
    Result r = client("--label", "3", "--count", "16", "--seed", "42", "--out", png.toString(), "--npy", npy.toString(),
        "--json");
    assertThat(r.exit()).as(r.toString()).isZero();
    JsonObject summary = new JsonObject(r.stdout().strip());
    assertThat(summary.getJsonArray("shape").getList()).containsExactly(16, 28, 28);
    assertThat(summary.getDouble("min")).isBetween(-1.0, 1.0);
    assertThat(summary.getDouble("max")).isBetween(-1.0, 1.0).isGreaterThan(summary.getDouble("min"));
    assertThat(summary.getJsonArray("labels").getList()).hasSize(16).containsOnly(3);
    assertThat(summary.getString("model_version")).isEqualTo(VERSION);

    SampleRequest same = SampleRequest.newBuilder().setCount(16).setSeed(42).addLabels(3).build();
    SampleResponse floats = await(sample(same));
    float[] expected = floats(floats.getImages().getData().toByteArray());
    assertThat(readNpy(npy, new int[] {16, 28, 28})).as("decoded by numpy, bit for bit").containsExactly(expected);

    SampleResponse grid = await(sample(same.toBuilder().setFormat(ImageFormat.IMAGE_FORMAT_PNG_GRID).build()));
    BufferedImage mine = ImageIO.read(png.toFile());
    BufferedImage theirs = ImageIO.read(new ByteArrayInputStream(grid.getPng().toByteArray()));
    assertThat(mine.getWidth()).isEqualTo(theirs.getWidth()).isEqualTo(2 + 4 * (2 + 56));
    assertThat(mine.getHeight()).isEqualTo(theirs.getHeight());
    assertThat(pixels(mine)).as("the client's grid, pixel for pixel the gateway's").containsExactly(pixels(theirs));
  }

  @Test
  void namesListsAndErrorsComeThroughWithTheServersMessage() throws Exception {
    Result labels = client("--list-labels", "--json");
    assertThat(labels.exit()).as(labels.toString()).isZero();
    JsonObject l = new JsonObject(labels.stdout().strip());
    assertThat(l.getInteger("classes")).isEqualTo(10);
    assertThat(l.getJsonArray("names").getList()).isEqualTo(DIGITS);

    Result pinned = client("--label", "7,1", "--count", "2", "--model-version", VERSION, "--out",
        tmp.resolve("pinned.png").toString(), "--json");
    assertThat(pinned.exit()).as(pinned.toString()).isZero();
    assertThat(new JsonObject(pinned.stdout().strip()).getJsonArray("labels").getList()).containsExactly(7, 1);

    Result gone = client("--count", "2", "--model-version", "runs/python-it/checkpoint-000000001", "--out",
        tmp.resolve("gone.png").toString());
    assertThat(gone.exit()).as(gone.toString()).isEqualTo(1);
    assertThat(gone.stderr()).contains("FAILED_PRECONDITION").contains("'" + VERSION + "'");

    Result bad = client("--label", "12", "--count", "2", "--out", tmp.resolve("bad.png").toString());
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.stderr()).startsWith("error: INVALID_ARGUMENT: labels: label 12 at position 0")
        .contains("valid labels are 0..9");
    assertThat(tmp.resolve("bad.png")).doesNotExist();
  }

  private io.vertx.core.Future<SampleResponse> sample(SampleRequest request) {
    return RpcClient.plain(vertx).unary(SocketAddress.inetSocketAddress(gateway.actualGrpcPort(), "127.0.0.1"),
        SamplingServiceGrpcClient.Sample, request, 30_000);
  }

  private Result client(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(PYTHON.toString(), CLIENT.toString(), "--target",
        "127.0.0.1:" + gateway.actualGrpcPort()));
    command.addAll(List.of(args));
    return run(command, stubs);
  }

  record Result(int exit, String stdout, String stderr) {}

  private static Result run(List<String> command, Path stubsDir) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command);
    if (stubsDir != null) {
      pb.environment().put("GAN_STUBS_DIR", stubsDir.toString());
    }
    pb.environment().remove("GAN_SAMPLING_TOKEN");
    Path out = Files.createTempFile("python-client", ".out");
    Path err = Files.createTempFile("python-client", ".err");
    try {
      Process p = pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("the Python client did not finish in 120 s: " + command);
      }
      return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static float[] floats(byte[] littleEndian) {
    float[] f = new float[littleEndian.length / 4];
    ByteBuffer.wrap(littleEndian).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
    return f;
  }

  /** A version 1.0 .npy file of little-endian float32 in C order, checked against {@code shape}. */
  private static float[] readNpy(Path file, int[] shape) throws IOException {
    byte[] b = Files.readAllBytes(file);
    assertThat(new String(b, 1, 5, StandardCharsets.US_ASCII)).isEqualTo("NUMPY");
    int headerLength = (b[8] & 0xff) | (b[9] & 0xff) << 8;
    String header = new String(b, 10, headerLength, StandardCharsets.US_ASCII);
    assertThat(header).contains("'descr': '<f4'").contains("'fortran_order': False")
        .contains("'shape': (" + shape[0] + ", " + shape[1] + ", " + shape[2] + ")");
    byte[] data = java.util.Arrays.copyOfRange(b, 10 + headerLength, b.length);
    assertThat(data.length).isEqualTo(shape[0] * shape[1] * shape[2] * 4);
    return floats(data);
  }

  private static int[] pixels(BufferedImage image) {
    return image.getRaster().getPixels(0, 0, image.getWidth(), image.getHeight(), (int[]) null);
  }
}
