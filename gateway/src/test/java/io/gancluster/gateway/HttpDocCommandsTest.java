package io.gancluster.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP commands of README.md and docs/serving.md, run as written with bash, curl, jq and python3, one
 * after the other in one folder, against a loopback gateway (its port in place of 8080). Skipped where one
 * of those tools, or numpy, is missing.
 */
class HttpDocCommandsTest {
  static final List<Path> DOCS = List.of(Path.of("..", "README.md"), Path.of("..", "docs", "serving.md"));
  static final String ADDRESS = "127.0.0.1:8080";

  static ConditionalGateway gateway;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(shell("command -v curl jq && python3 -c 'import numpy'", Path.of(".")).exit() == 0,
        "curl, jq or python3 with numpy missing: the documented HTTP commands are not run");
    gateway = new ConditionalGateway("demo/checkpoint-000002213");
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void everyDocumentedHttpCommandRunsAndPrintsWhatTheDocsSay() throws Exception {
    Map<String, Result> results = new LinkedHashMap<>();
    for (String command : commands()) {
      Result r = shell(command.replace(ADDRESS, "127.0.0.1:" + gateway.gateway.actualHttpPort()), dir);
      assertThat(r.exit()).as("%s%n%s", command, r.output()).isZero();
      results.put(command, r);
    }

    assertThat(results).hasSizeGreaterThanOrEqualTo(6);
    assertThat(output(results, "samples.json?count=2")).contains("\"seed\":42", "\"shape\":[2,28,28]", "\"labels\":[3,3]",
        "\"model_version\":\"demo/checkpoint-000002213\"").doesNotContain("images");
    assertThat(output(results, "samples.npy?count=16").toLowerCase()).contains("x-model-version: demo/checkpoint-000002213",
        "x-labels: 3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3");
    assertThat(output(results, "numpy.load")).startsWith("(16, 28, 28) float32");
    assertThat(output(results, "openapi.json").lines()).contains("/api/v1/samples.json", "/api/v1/samples.npy",
        "/api/v1/samples.png", "/api/v1/openapi.json");
    assertThat(output(results, "label=1,7,1,7")).isEqualTo("[1,7,1,7]\n");
    assertThat(output(results, "no/such-version")).contains("'no/such-version'", "demo/checkpoint-000002213",
        "(HTTP 409)");
  }

  /** Lines of the docs' bash blocks that call the HTTP API on 127.0.0.1:8080, or load what they saved. */
  private static List<String> commands() throws IOException {
    List<String> commands = new ArrayList<>();
    for (Path doc : DOCS) {
      boolean bash = false;
      for (String line : Files.readAllLines(doc)) {
        if (line.startsWith("```")) {
          bash = line.equals("```bash");
        } else if (bash && (line.startsWith("curl ") && line.contains("http://" + ADDRESS + "/api/v1/")
            || line.startsWith("python3 -c") && line.contains("numpy.load"))) {
          commands.add(line);
        }
      }
    }
    return commands;
  }

  private static String output(Map<String, Result> results, String commandPart) {
    return results.entrySet().stream().filter(e -> e.getKey().contains(commandPart)).findFirst()
        .orElseThrow(() -> new AssertionError("no documented command contains " + commandPart)).getValue().output();
  }

  record Result(int exit, String output) {}

  private static Result shell(String command, Path dir) throws IOException, InterruptedException {
    Path out = Files.createTempFile("doc-command", ".out");
    try {
      Process p = new ProcessBuilder("bash", "-o", "pipefail", "-c", command).directory(dir.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("did not finish in 60 s: " + command);
      }
      return new Result(p.exitValue(), Files.readString(out));
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
