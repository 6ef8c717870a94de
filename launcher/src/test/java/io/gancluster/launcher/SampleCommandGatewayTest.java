package io.gancluster.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.gancluster.client.GeneratorClient;
import io.gancluster.client.RpcClient;
import io.gancluster.core.image.Pixels;
import io.gancluster.core.model.recipe.Presets;
import io.gancluster.gateway.GatewayOptions;
import io.gancluster.gateway.GatewayVerticle;
import io.gancluster.generator.GeneratorVerticle;
import io.gancluster.proto.v1.GeneratorSampleRequest;
import io.gancluster.proto.v1.ModelInfo;
import io.gancluster.runtime.rpc.Blocking;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.runtime.tensor.TensorCodec;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gan sample --gateway} against a loopback gateway with two replicas on two model versions:
 * {@code --model-version} gets images from the replica holding that version only, says which version
 * answered, and a version no replica holds ends in one line naming the versions served, exit 1.
 */
class SampleCommandGatewayTest {
  static final String A = "run/checkpoint-000000010";
  static final String B = "run/checkpoint-000000020";

  @TempDir
  Path tmp;

  private Vertx vertx;
  private GatewayVerticle gateway;
  private GeneratorClient a;
  private HostPort aAddress;
  private HostPort bAddress;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    GeneratorVerticle ga = GeneratorVerticle.forPreset(Presets.get("tiny"), 1, 0);
    GeneratorVerticle gb = GeneratorVerticle.forPreset(Presets.get("tiny"), 2, 0);
    await(vertx.deployVerticle(ga));
    await(vertx.deployVerticle(gb));
    aAddress = new HostPort("127.0.0.1", ga.actualPort());
    bAddress = new HostPort("127.0.0.1", gb.actualPort());
    a = new GeneratorClient(RpcClient.plain(vertx), aAddress);
    await(a.publishModel(ModelInfo.newBuilder().setVersion(A).build()));
    await(new GeneratorClient(RpcClient.plain(vertx), bAddress).publishModel(ModelInfo.newBuilder().setVersion(B).build()));
    gateway = new GatewayVerticle(new GatewayOptions().setHttpPort(0).setGrpcPort(0)
        .setGenerators(List.of(aAddress, bAddress)));
    await(vertx.deployVerticle(gateway));
  }

  @AfterEach
  void tearDown() {
    await(vertx.close());
  }

  private int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    var cmd = Gan.commandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }

  private String gatewayAddress() {
    return "127.0.0.1:" + gateway.actualGrpcPort();
  }

  @Test
  void aPinnedVersionIsAnsweredByTheReplicaHoldingItAndTheOutputSaysWhichVersionAnswered() throws Exception {
    byte[] fromA = Pixels.bytes(TensorCodec.decode(await(a.sample(GeneratorSampleRequest.newBuilder().setCount(3)
        .setSeed(42).build())).getImages(), "images", new long[] {3, 1, 28, 28}, 3));

    for (int i = 0; i < 3; i++) { // round robin alone would send every other one to B
      Path dir = tmp.resolve("a" + i);
      assertThat(run("sample", "--gateway", gatewayAddress(), "--model-version", A, "--count", "3", "--seed", "42",
          "--out", dir.toString())).as(err.toString()).isZero();
      assertThat(out.toString()).contains("wrote 3 images (model version " + A + ") to " + dir);
      assertThat(images(dir)).isEqualTo(fromA);
    }
    Path b = tmp.resolve("b");
    assertThat(run("sample", "--gateway", gatewayAddress(), "--model-version", B, "--count", "3", "--seed", "42",
        "--out", b.toString())).as(err.toString()).isZero();
    assertThat(out.toString()).contains("(model version " + B + ")");
    assertThat(images(b)).as("the other replica's weights").isNotEqualTo(fromA);

    assertThat(run("sample", "--gateway", gatewayAddress(), "--count", "3", "--out", tmp.resolve("any").toString()))
        .isZero();
    assertThat(out.toString()).as("unpinned: whichever answered").containsPattern("\\(model version (" + A + "|" + B + ")\\)");
  }

  @Test
  void aVersionNoReplicaHoldsEndsInOneLineNamingTheServedVersions() {
    int exit = run("sample", "--gateway", gatewayAddress(), "--model-version", "run/checkpoint-000000005",
        "--out", tmp.resolve("gone").toString());

    assertThat(exit).isEqualTo(ErrorReporter.PEER_ERROR);
    assertThat(err.toString().lines()).hasSize(1);
    assertThat(err.toString()).startsWith("gan sample: FAILED_PRECONDITION: ")
        .contains("no generator replica holds model version 'run/checkpoint-000000005'")
        .contains("'" + A + "' (" + aAddress + ")").contains("'" + B + "' (" + bAddress + ")")
        .doesNotContain("\tat ");
    assertThat(out.toString()).isEmpty();
    assertThat(Files.exists(tmp.resolve("gone"))).as("nothing written").isFalse();
  }

  @Test
  void theOptionIsInTheHelpAndNeedsAGateway() {
    assertThat(run("sample", "--help")).isZero();
    assertThat(out.toString()).contains("--model-version=V").contains("--gateway 127.0.0.1:9090 --model-version");

    assertThat(run("sample", "--checkpoint", tmp.toString(), "--model-version", A, "--out", tmp.resolve("x").toString()))
        .isEqualTo(ErrorReporter.USAGE_ERROR);
    assertThat(err.toString()).contains("--model-version").contains("needs --gateway");
  }

  private static byte[] images(Path dir) throws Exception {
    byte[] file = Files.readAllBytes(dir.resolve("images-idx3-ubyte"));
    return Arrays.copyOfRange(file, 16, file.length); // after the IDX header
  }

  private static <T> T await(io.vertx.core.Future<T> f) {
    return Blocking.await(f, Duration.ofSeconds(60));
  }
}
