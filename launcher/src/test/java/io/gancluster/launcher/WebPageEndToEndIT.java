package io.gancluster.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's web page in a real browser: headless Chromium (Debian's {@code chromium}; the test is
 * skipped, saying so, where it is not installed) loads the page of a cluster that trained and evaluated,
 * runs its scripts, and the resulting DOM shows the training table, the evaluation and sampled images.
 */
class WebPageEndToEndIT {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @TempDir
  static Path tmp;
  static TinyCluster cluster;
  static int httpPort;

  @BeforeAll
  static void trainAndServe() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM),
        "Chromium is not installed (sudo apt-get install chromium): the browser test is skipped");
    cluster = new TinyCluster(tmp);
    httpPort = cluster.httpPort();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void thePageShowsTrainingEvaluationAndSamplesItAskedFor() throws Exception {
    String dom = chromium("--dump-dom", "/?count=16&seed=42");

    assertThat(dom).contains("data-metric=\"state\">FINISHED");
    assertThat(dom).contains("data-metric=\"step\">40 / 40");
    assertThat(dom).containsPattern("data-metric=\"Frechet distance\">\\d+\\.\\d{4}");
    assertThat(dom).containsPattern("data-metric=\"precision\">[01]\\.\\d{4}");
    // the form sampled through the gateway: 16 images of the model version the trainer published
    assertThat(dom).containsPattern("id=\"samples\"[^>]*src=\"blob:");
    assertThat(dom).contains("data-model-version=\"run/checkpoint-000000040\"");
    assertThat(dom).contains("data-images=\"16\"");
    assertThat(dom).contains("16 images, seed 42, model version run/checkpoint-000000040");
  }

  @Test
  void aRequestTheGatewayRefusesShowsItsMessage() throws Exception {
    String dom = chromium("--dump-dom", "/?count=100000&seed=1");
    assertThat(dom).contains("data-error=\"400\"");
    assertThat(dom).contains("count must be an integer between 1 and");
  }

  @Test
  void aScreenshotOfThePageIsTaken() throws Exception {
    Path png = Path.of("target", "web-page.png").toAbsolutePath();
    Files.deleteIfExists(png);
    chromium("--screenshot=" + png, "/?count=16&seed=42");
    assertThat(Files.size(png)).isGreaterThan(20_000);
  }

  private static String chromium(String mode, String page) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + Files.createTempDirectory(tmp, "chromium"),
        "--window-size=1200,1500", "--virtual-time-budget=10000", mode, "http://127.0.0.1:" + httpPort + page));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("chromium finished").isTrue();
    return out;
  }
}
