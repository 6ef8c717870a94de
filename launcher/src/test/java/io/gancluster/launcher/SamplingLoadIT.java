package io.gancluster.launcher;

import io.gancluster.client.RpcClient;
import static org.assertj.core.api.Assertions.assertThat;

import io.gancluster.core.checkpoint.Checkpoint;
import io.gancluster.core.checkpoint.CheckpointStore;
import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.model.recipe.Presets;
import io.gancluster.runtime.rpc.Blocking;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.gateway.GatewayOptions;
import io.gancluster.gateway.GatewayVerticle;
import io.gancluster.generator.GeneratorTrainer;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * 64 concurrent clients through the gateway to a serving replica in its own JVM: with the default
 * queue (2,048 images) nothing is refused and nothing fails; with a queue smaller than the load
 * (256 images for 64 × 16 in flight) the excess is refused with RESOURCE_EXHAUSTED and nothing else
 * fails; the replica's memory stays bounded either way. (docs/reliability.md has a 60 s run.)
 */
class SamplingLoadIT {
  static final int CLIENTS = 64;
  static final int IMAGES = 16;
  static final Duration EACH = Duration.ofSeconds(15);

  @TempDir
  Path tmp;

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    Blocking.await(vertx.close(), Duration.ofSeconds(30));
  }

  @Test
  void sixtyFourClientsGetNoErrorsBelowTheQueueLimitAndResourceExhaustedAboveIt() throws Exception {
    Preset p = Presets.get("dcgan-mnist-small");
    Path file = new CheckpointStore(tmp.resolve("run/checkpoints"), 1).write(new Checkpoint(1, 0, 1,
        Map.of("preset", p.name(), "generator", p.generatorRecipe(), "latent", p.model().latent().cliName()),
        new GeneratorTrainer(p, DataType.FLOAT, 1).exportState(), new byte[0]));
    RpcClient client = RpcClient.plain(vertx);
    int port = GanProcess.freePort();
    HostPort replica = new HostPort("127.0.0.1", port);
    GatewayVerticle gateway = new GatewayVerticle(new GatewayOptions().setHttpPort(0).setGrpcPort(0)
        .setGenerators(List.of(replica)));
    Blocking.await(vertx.deployVerticle(gateway), Duration.ofMinutes(1));
    HostPort g = new HostPort("127.0.0.1", gateway.actualGrpcPort());

    SamplingLoad.Result below;
    double belowRss;
    try (GanProcess r = startReplica(file, port, 2048)) {
      awaitServing(r, client, replica);
      below = SamplingLoad.run(vertx, client, g, CLIENTS, IMAGES, EACH);
      belowRss = rssMiB(r);
    }
    SamplingLoad.Result above;
    double aboveRss;
    try (GanProcess r = startReplica(file, port, 256)) {
      awaitServing(r, client, replica);
      above = SamplingLoad.run(vertx, client, g, CLIENTS, IMAGES, EACH);
      aboveRss = rssMiB(r);
    }
    System.out.printf("load, %d clients x %d images, %d s each: queue 2048: %d ok, %d refused, %d failed, %.0f images/s, "
        + "p99 %.0f ms, RSS %.0f MiB; queue 256: %d ok, %d refused, %d failed, p99 %.0f ms, RSS %.0f MiB%n", CLIENTS,
        IMAGES, EACH.toSeconds(), below.ok(), below.rejected(), below.failed(), below.imagesPerSecond(),
        below.percentile(0.99), belowRss, above.ok(), above.rejected(), above.failed(), above.percentile(0.99), aboveRss);

    assertThat(below.failed()).as("errors below the queue limit: %s", below.errors()).isZero();
    assertThat(below.rejected()).as("refused below the queue limit").isZero();
    assertThat(below.ok()).isGreaterThan(100);
    assertThat(above.rejected()).as("refused above the queue limit").isGreaterThan(0);
    assertThat(above.failed()).as("other errors above the queue limit: %s", above.errors()).isZero();
    assertThat(above.ok()).as("the replica keeps serving what fits").isGreaterThan(100);
    assertThat(Math.max(belowRss, aboveRss)).as("replica RSS, MiB (-Xmx512m)").isLessThan(1536);
  }

  private GanProcess startReplica(Path checkpoint, int port, int queueImages) {
    return GanProcess.start("load-replica-" + queueImages, Path.of("target", "load-logs"), List.of("serve-replica",
        "--checkpoint", checkpoint.toString(), "--port", "" + port, "--metrics-port", "-1",
        "--max-queue-images", "" + queueImages, "--drain-seconds", "1"));
  }

  private static void awaitServing(GanProcess r, RpcClient client, HostPort replica) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      assertThat(r.process.isAlive()).as(r.tail(30)).isTrue();
      try {
        Blocking.await(io.gancluster.gateway.PeerHealth.check(client, replica,
            io.gancluster.proto.v1.GeneratorServiceGrpcService.SERVICE_NAME), Duration.ofSeconds(5));
        Thread.sleep(1500); // the gateway's health check sees it up too
        return;
      } catch (RuntimeException notYet) {
        Thread.sleep(300);
      }
    }
    throw new AssertionError("replica not serving:\n" + r.tail(30));
  }

  private static double rssMiB(GanProcess r) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(r.process.pid()), "status"))) {
      if (line.startsWith("VmHWM:")) { // the peak, not just now
        return Long.parseLong(line.replaceAll("\\D+", "")) / 1024.0;
      }
    }
    return Double.NaN;
  }
}
