package io.gancluster.launcher;

import io.gancluster.core.data.DataSources;
import io.gancluster.core.data.IdxFiles;
import io.gancluster.core.data.ImageSet;
import io.gancluster.core.model.recipe.Presets;
import io.gancluster.runtime.rpc.Blocking;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.runtime.networkservice.NetworkServiceOptions;
import io.gancluster.discriminator.DiscriminatorVerticle;
import io.gancluster.gateway.GatewayOptions;
import io.gancluster.gateway.GatewayVerticle;
import io.gancluster.generator.GeneratorVerticle;
import io.gancluster.trainer.eval.EvaluationSettings;
import io.gancluster.trainer.run.RunConfig;
import io.gancluster.trainer.service.TrainerOptions;
import io.gancluster.trainer.service.TrainerVerticle;
import io.vertx.core.Deployable;
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
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * A whole cluster on loopback for end-to-end tests, each service a verticle with its own ports: the tiny
 * preset trained for 40 steps on 256 bundled digits (an IDX folder of the user's kind, with a t10k split),
 * evaluated at the end of its first epoch (step 32) and at its last step, then served by the gateway. The generator also runs
 * its own /metrics endpoint, as {@code serve-generator} does.
 */
final class TinyCluster implements AutoCloseable {
  final Vertx vertx = Vertx.vertx();
  final GeneratorVerticle generator;
  final TrainerVerticle trainer;
  final GatewayVerticle gateway;

  TinyCluster(Path tmp) throws Exception {
    Path data = smallMnist(tmp.resolve("data"));
    var tiny = Presets.get("tiny");
    var d = deploy(new DiscriminatorVerticle(NetworkServiceOptions.forDiscriminator(tiny, 3).setPort(0)));
    generator = deploy(new GeneratorVerticle(NetworkServiceOptions.forGenerator(tiny, 3).setPort(0).setMetricsPort(0)));
    RunConfig run = new RunConfig("tiny", data.toString(), 3, tmp.resolve("run"), 40, 0, 10);
    trainer = deploy(new TrainerVerticle(new TrainerOptions().setPort(0)
        .setGenerator(new HostPort("127.0.0.1", generator.actualPort()))
        .setDiscriminator(new HostPort("127.0.0.1", d.actualPort())).setRun(run)
        .setEvaluation(new EvaluationSettings(1, 100, tmp.resolve("cache"), null))));
    gateway = deploy(new GatewayVerticle(new GatewayOptions().setHttpPort(0).setGrpcPort(0)
        .setGenerator(new HostPort("127.0.0.1", generator.actualPort()))
        .setTrainer(new HostPort("127.0.0.1", trainer.actualPort()))));
    trainer.controller().finished().get(5, TimeUnit.MINUTES);
    awaitEvaluationAtGateway();
  }

  int httpPort() {
    return gateway.actualHttpPort();
  }

  /** GET a path on a loopback port. */
  static String get(int port, String path) throws IOException, InterruptedException {
    // HTTP/1.1: the JDK client would otherwise try an h2c upgrade first
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
        .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  @Override
  public void close() {
    Blocking.await(vertx.close(), Duration.ofSeconds(30));
  }

  private void awaitEvaluationAtGateway() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      JsonObject j = new JsonObject(get(httpPort(), "/api/v1/training"));
      if (j.containsKey("evaluation") && "FINISHED".equals(j.getString("state"))) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the gateway never saw the evaluation");
  }

  /** 256 training and 128 test digits from the bundled set, as an IDX folder. */
  static Path smallMnist(Path dir) throws IOException {
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

  private <T extends Deployable> T deploy(T verticle) {
    Blocking.await(vertx.deployVerticle(verticle), Duration.ofMinutes(2));
    return verticle;
  }
}
