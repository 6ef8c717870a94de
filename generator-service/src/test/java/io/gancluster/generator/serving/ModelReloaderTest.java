package io.gancluster.generator.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gancluster.core.checkpoint.Checkpoint;
import io.gancluster.core.checkpoint.CheckpointException;
import io.gancluster.core.checkpoint.CheckpointStore;
import io.gancluster.runtime.cluster.ControlEvents;
import io.gancluster.runtime.cluster.ControlEvents.CheckpointPublished;
import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.model.recipe.Presets;
import io.gancluster.runtime.rpc.Blocking;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.generator.GeneratorTrainer;
import io.gancluster.proto.v1.CheckpointInfo;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Hot reload against a fake checkpoint source: each published version is fetched, verified, built and
 * swapped in; a corrupt one is refused and the previous model keeps serving.
 */
class ModelReloaderTest {
  private final Vertx vertx = Vertx.vertx();
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private volatile String newest;

  @TempDir
  Path tmp;

  @AfterEach
  void close() {
    Blocking.await(vertx.close(), Duration.ofSeconds(30));
  }

  /** Bytes of a real checkpoint of the tiny preset's generator (weights from {@code seed}). */
  private byte[] checkpoint(long step, long seed) throws Exception {
    Preset tiny = Presets.get("tiny");
    GeneratorTrainer g = new GeneratorTrainer(tiny, DataType.FLOAT, seed);
    Path file = new CheckpointStore(tmp.resolve("s" + step), 1).write(new Checkpoint(step, 0, 1,
        Map.of("preset", "tiny", "generator", tiny.generatorRecipe(), "latent", tiny.model().latent().cliName()),
        g.exportState(), new byte[0]));
    return Files.readAllBytes(file);
  }

  private final CheckpointSource source = new CheckpointSource() {
    @Override
    public Future<CheckpointInfo> latest() {
      String v = newest;
      return v == null ? Future.failedFuture("none yet") : Future.succeededFuture(info(v, files.get(v)));
    }

    @Override
    public Future<Fetched> fetch(String version) {
      byte[] bytes = files.get(version);
      return vertx.executeBlocking(() -> new Fetched(info(version, bytes),
          TrainerCheckpointSource.verify(version, info(version, bytes), bytes)));
    }

    @Override
    public String describe() {
      return "test files";
    }
  };

  private static CheckpointInfo info(String version, byte[] bytes) {
    return CheckpointInfo.newBuilder().setVersion(version).setSizeBytes(bytes.length)
        .setSha256(TrainerCheckpointSource.sha256(bytes)).build();
  }

  private void publish(String version, byte[] bytes) {
    files.put(version, bytes);
    newest = version;
    vertx.eventBus().publish(ControlEvents.CHECKPOINT_PUBLISHED, new CheckpointPublished(version, 0, bytes.length,
        "", new HostPort("127.0.0.1", 1)).toJson());
  }

  @Test
  void followsPublishedCheckpointsAndKeepsTheOldModelWhenANewOneIsCorrupt() throws Exception {
    AtomicReference<ServedModel> current = new AtomicReference<>();
    WorkerExecutor loader = vertx.createSharedWorkerExecutor("loader", 1);
    ServingMetrics metrics = new ServingMetrics(new SimpleMeterRegistry(), () -> 0);
    ModelReloader reloader = new ModelReloader(vertx, source, current, metrics, loader, 60_000);
    files.put("run/checkpoint-10", checkpoint(10, 1));
    newest = "run/checkpoint-10";
    vertx.runOnContext(v -> reloader.start());
    await(() -> current.get() != null);
    assertThat(current.get().version()).isEqualTo("run/checkpoint-10");
    assertThat(current.get().step()).isEqualTo(10);

    byte[] good = checkpoint(20, 2);
    publish("run/checkpoint-20", good);
    await(() -> current.get().version().equals("run/checkpoint-20"));

    byte[] cut = Arrays.copyOf(checkpoint(30, 3), 500); // a checkpoint cut short, with a matching checksum
    publish("run/checkpoint-30", cut);
    await(() -> reloader.refused().contains("run/checkpoint-30"));
    assertThat(current.get().version()).as("the previous model keeps serving").isEqualTo("run/checkpoint-20");

    publish("run/checkpoint-40", checkpoint(40, 4));
    await(() -> current.get().version().equals("run/checkpoint-40"));
    assertThat(reloader.served()).containsExactly("run/checkpoint-10", "run/checkpoint-20", "run/checkpoint-40");
    // the swapped-in model is the checkpoint's generator: same images as that generator built directly
    GeneratorTrainer direct = new GeneratorTrainer(Presets.get("tiny"), DataType.FLOAT, 4);
    assertThat(current.get().generator().sample(4, 42).data().asFloat())
        .containsExactly(direct.sample(4, 42).data().asFloat());
  }

  @Test
  void aTransferThatDoesNotMatchTheAnnouncedChecksumOrSizeIsRefusedWithTheReason() throws Exception {
    byte[] bytes = checkpoint(10, 1);
    CheckpointInfo announced = info("run/checkpoint-10", bytes);
    byte[] flipped = bytes.clone();
    flipped[bytes.length / 2] ^= 0x10;
    assertThatThrownBy(() -> TrainerCheckpointSource.verify("run/checkpoint-10", announced, flipped))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("SHA-256").hasMessageContaining("does not match");
    assertThatThrownBy(() -> TrainerCheckpointSource.verify("run/checkpoint-10", announced,
        Arrays.copyOf(bytes, bytes.length - 7))).hasMessageContaining("cut short");
    assertThat(TrainerCheckpointSource.verify("run/checkpoint-10", announced, bytes)).isSameAs(bytes);
  }

  @Test
  void aCheckpointOfAnUnknownPresetOrWithoutOneIsRefusedNamingTheVersion() throws Exception {
    Path file = new CheckpointStore(tmp.resolve("x"), 1).write(new Checkpoint(1, 0, 1, Map.of("preset", "no-such"),
        new byte[0], new byte[0]));
    assertThatThrownBy(() -> ServedModel.load("run/checkpoint-1", Files.readAllBytes(file)))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("run/checkpoint-1").hasMessageContaining("no-such");
  }

  private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached in 60 s");
      }
      Thread.sleep(20);
    }
  }
}
