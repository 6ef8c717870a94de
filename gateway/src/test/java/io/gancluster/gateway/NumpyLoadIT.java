package io.gancluster.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.gancluster.proto.v1.SampleRequest;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * numpy itself reads what the HTTP API writes: {@code numpy.load} of samples.npy gives float32 (16, 28, 28)
 * holding the gRPC API's bytes, and the JSON route's numbers, as float32, are the same array. Skipped where
 * /usr/bin/python3 lacks numpy, as PythonClientIT is.
 */
class NumpyLoadIT {
  static final String VERSION = "runs/numpy-it/checkpoint-000000016";
  static final String SCRIPT = String.join("\n",
      "import hashlib, json, sys, numpy",
      "a = numpy.load(sys.argv[1])",
      "j = json.load(open(sys.argv[2]))",
      "same = bool(numpy.array_equal(numpy.array(j['images'], dtype=numpy.float32), a))",
      "print(json.dumps({'shape': list(a.shape), 'dtype': str(a.dtype), 'same_as_json': same,",
      "    'sha256': hashlib.sha256(a.astype('<f4').tobytes()).hexdigest()}))");

  static ConditionalGateway gateway;

  @TempDir
  Path tmp;

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(PythonClientIT.PYTHON) && python(List.of("-c", "import numpy"),
        Files.createTempFile("numpy", ".out")) == 0,
        "/usr/bin/python3 lacks numpy (sudo apt-get install python3-numpy): the numpy check is skipped");
    gateway = new ConditionalGateway(VERSION);
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void numpyLoadsSixteenThreesAsFloat32HoldingTheGrpcBytesAndEqualToTheJsonNumbers() throws Exception {
    Path npy = tmp.resolve("threes.npy");
    Path json = tmp.resolve("threes.json");
    Files.write(npy, gateway.get("/api/v1/samples.npy?count=16&seed=42&label=3").body().getBytes());
    Files.write(json, gateway.get("/api/v1/samples.json?count=16&seed=42&label=3").body().getBytes());
    byte[] grpc = gateway.sample(SampleRequest.newBuilder().setCount(16).setSeed(42).addLabels(3).build())
        .getImages().getData().toByteArray();

    Path out = tmp.resolve("python.out");
    assertThat(python(List.of("-c", SCRIPT, npy.toString(), json.toString()), out)).as(Files.readString(out)).isZero();

    JsonObject summary = new JsonObject(Files.readString(out).strip());
    assertThat(summary.getJsonArray("shape").getList()).containsExactly(16, 28, 28);
    assertThat(summary.getString("dtype")).isEqualTo("float32");
    assertThat(summary.getString("sha256")).isEqualTo(HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(grpc)));
    assertThat(summary.getBoolean("same_as_json")).as("JSON numbers read as float32 equal the .npy").isTrue();
  }

  private static int python(List<String> args, Path out) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(PythonClientIT.PYTHON.toString()));
    command.addAll(args);
    Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("python did not finish in 60 s");
    }
    return p.exitValue();
  }
}
