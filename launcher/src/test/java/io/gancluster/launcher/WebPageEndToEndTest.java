package io.gancluster.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.gancluster.core.data.DataSources;
import io.gancluster.core.data.IdxFiles;
import io.gancluster.core.data.ImageSet;
import io.gancluster.core.model.Presets;
import io.gancluster.core.rpc.Blocking;
import io.gancluster.core.rpc.HostPort;
import io.gancluster.core.rpc.NetworkServiceOptions;
import io.gancluster.discriminator.DiscriminatorVerticle;
import io.gancluster.gateway.GatewayOptions;
import io.gancluster.gateway.GatewayVerticle;
import io.gancluster.generator.GeneratorVerticle;
import io.gancluster.trainer.eval.EvaluationSettings;
import io.gancluster.trainer.run.RunConfig;
import io.gancluster.trainer.service.TrainerOptions;
import io.gancluster.trainer.service.TrainerVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
class WebPageEndToEndTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @TempDir
  static Path tmp;
  static Vertx vertx;
  static int httpPort;

  @BeforeAll
  static void trainAndServe() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM),
        "Chromium is not installed (sudo apt-get install chromium): the browser test is skipped");
    Path data = smallMnist(tmp.resolve("data"));
    vertx = Vertx.vertx();
    var tiny = Presets.get("tiny");
    var d = deploy(new DiscriminatorVerticle(NetworkServiceOptions.forDiscriminator(tiny, 3).setPort(0)));
    var g = deploy(new GeneratorVerticle(NetworkServiceOptions.forGenerator(tiny, 3).setPort(0)));
    // 256 images at batch 8: epochs end at steps 32 and 64; the run stops at 40, evaluated once
    RunConfig run = new RunConfig("tiny", data.toString(), 3, tmp.resolve("run"), 40, 0, 10);
    TrainerVerticle trainer = deploy(new TrainerVerticle(new TrainerOptions().setPort(0)
        .setGenerator(new HostPort("127.0.0.1", g.actualPort()))
        .setDiscriminator(new HostPort("127.0.0.1", d.actualPort())).setRun(run)
        .setEvaluation(new EvaluationSettings(1, 100, tmp.resolve("cache"), null))));
    GatewayVerticle gateway = deploy(new GatewayVerticle(new GatewayOptions().setHttpPort(0).setGrpcPort(0)
        .setGenerator(new HostPort("127.0.0.1", g.actualPort()))
        .setTrainer(new HostPort("127.0.0.1", trainer.actualPort()))));
    httpPort = gateway.actualHttpPort();
    trainer.controller().finished().get(5, TimeUnit.MINUTES);
    awaitEvaluationAtGateway();
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      Blocking.await(vertx.close(), Duration.ofSeconds(30));
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

  private static void awaitEvaluationAtGateway() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/v1/training"))
          .build(), HttpResponse.BodyHandlers.ofString()).body();
      JsonObject j = new JsonObject(body);
      if (j.containsKey("evaluation") && "FINISHED".equals(j.getString("state"))) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the gateway never saw the evaluation");
  }

  /** 256 training and 128 test digits from the bundled set, as an IDX folder of the user's own. */
  private static Path smallMnist(Path dir) throws IOException {
    Files.createDirectories(dir);
    ImageSet train = DataSources.load("mnist");
    ImageSet test = DataSources.load("mnist-test");
    IdxFiles.writeImages(dir.resolve("train-images-idx3-ubyte"), 256, 28, 28,
        Arrays.copyOf(train.pixelBytes(), 256 * 784));
    IdxFiles.writeLabels(dir.resolve("train-labels-idx1-ubyte"), Arrays.copyOf(train.labelBytes(), 256));
    IdxFiles.writeImages(dir.resolve("t10k-images-idx3-ubyte"), 128, 28, 28, Arrays.copyOf(test.pixelBytes(), 128 * 784));
    IdxFiles.writeLabels(dir.resolve("t10k-labels-idx1-ubyte"), Arrays.copyOf(test.labelBytes(), 128));
    return dir;
  }

  private static <T extends io.vertx.core.Deployable> T deploy(T verticle) {
    Blocking.await(vertx.deployVerticle(verticle), Duration.ofMinutes(2));
    return verticle;
  }
}
