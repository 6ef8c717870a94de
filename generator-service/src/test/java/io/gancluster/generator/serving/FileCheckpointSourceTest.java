package io.gancluster.generator.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gancluster.core.checkpoint.Checkpoint;
import io.gancluster.core.checkpoint.CheckpointChoice;
import io.gancluster.core.checkpoint.CheckpointStore;
import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.model.recipe.Presets;
import io.gancluster.generator.GeneratorTrainer;
import io.gancluster.runtime.rpc.Blocking;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/** A run folder served from disk: its best checkpoint unless the latest is asked for, and a new best is picked up. */
class FileCheckpointSourceTest {
  static final Preset TINY = Presets.get("tiny");

  private final Vertx vertx = Vertx.vertx();

  @TempDir
  Path tmp;

  @AfterEach
  void close() {
    Blocking.await(vertx.close(), Duration.ofSeconds(30));
  }

  @Test
  void aRunFolderOffersItsBestCheckpointUnlessTheLatestIsAskedOrThereIsNone() {
    Path run = tmp.resolve("demo");
    CheckpointStore store = new CheckpointStore(run.resolve("checkpoints"), 3);
    store.write(checkpoint(20, 1));
    assertThat(version(new FileCheckpointSource(vertx, run))).as("no best.zip: the latest")
        .isEqualTo("demo/checkpoint-000000020");

    store.writeBest(checkpoint(10, 2));
    assertThat(version(new FileCheckpointSource(vertx, run))).isEqualTo("demo/best-000000010");
    assertThat(version(new FileCheckpointSource(vertx, run, CheckpointChoice.LATEST)))
        .isEqualTo("demo/checkpoint-000000020");
    assertThat(version(new FileCheckpointSource(vertx, store.bestFile(), CheckpointChoice.LATEST)))
        .as("a file is itself").isEqualTo("demo/best-000000010");
    assertThat(new FileCheckpointSource(vertx, run).describe()).isEqualTo("run folder " + run + " (best checkpoint)");

    FileCheckpointSource source = new FileCheckpointSource(vertx, run);
    assertThat(Blocking.await(source.fetch("demo/best-000000010"), Duration.ofSeconds(30)).info().getStep())
        .isEqualTo(10);
    store.writeBest(checkpoint(15, 3));
    assertThatThrownBy(() -> Blocking.await(source.fetch("demo/best-000000010"), Duration.ofSeconds(30)))
        .hasMessageContaining("no checkpoint demo/best-000000010").hasMessageContaining("best is demo/best-000000015");
  }

  @Test
  void aReplicaOnARunFolderServesItsBestAndReloadsWhenABetterOneReplacesIt() throws Exception {
    Path run = tmp.resolve("demo");
    CheckpointStore store = new CheckpointStore(run.resolve("checkpoints"), 3);
    store.write(checkpoint(20, 1));
    store.writeBest(checkpoint(10, 2));
    AtomicReference<ServedModel> current = new AtomicReference<>();
    WorkerExecutor loader = vertx.createSharedWorkerExecutor("loader", 1);
    ModelReloader reloader = new ModelReloader(vertx, new FileCheckpointSource(vertx, run), current,
        new ServingMetrics(new SimpleMeterRegistry(), () -> 0), loader, 100);
    vertx.runOnContext(v -> reloader.start());
    await(() -> current.get() != null);
    assertThat(current.get().version()).isEqualTo("demo/best-000000010");
    assertThat(current.get().step()).isEqualTo(10);
    assertSamplesOf(current.get(), 2);

    store.write(checkpoint(30, 4)); // a newer checkpoint that did not score better changes nothing
    store.writeBest(checkpoint(25, 5));
    await(() -> current.get().version().equals("demo/best-000000025"));
    assertThat(current.get().step()).isEqualTo(25);
    assertSamplesOf(current.get(), 5);
    assertThat(reloader.served()).containsExactly("demo/best-000000010", "demo/best-000000025");
  }

  /** The served model is the checkpoint's generator: the same images as that generator built directly. */
  private static void assertSamplesOf(ServedModel served, long seed) {
    assertThat(served.generator().sample(4, 42).data().asFloat())
        .containsExactly(new GeneratorTrainer(TINY, DataType.FLOAT, seed).sample(4, 42).data().asFloat());
  }

  /** A checkpoint of the tiny preset's generator with weights from {@code seed}. */
  private static Checkpoint checkpoint(long step, long seed) {
    return new Checkpoint(step, 0, 1, Map.of("preset", "tiny", "generator", TINY.generatorRecipe(), "latent",
        TINY.model().latent().cliName()), new GeneratorTrainer(TINY, DataType.FLOAT, seed).exportState(), new byte[0]);
  }

  private static String version(FileCheckpointSource source) {
    return Blocking.await(source.latest(), Duration.ofSeconds(30)).getVersion();
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
