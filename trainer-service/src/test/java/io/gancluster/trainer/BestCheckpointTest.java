package io.gancluster.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.gancluster.client.peer.DiscriminatorPeer;
import io.gancluster.client.peer.GeneratorPeer;
import io.gancluster.core.checkpoint.Checkpoint;
import io.gancluster.core.checkpoint.CheckpointChoice;
import io.gancluster.core.checkpoint.CheckpointStore;
import io.gancluster.core.data.DataSources;
import io.gancluster.core.data.ImageSet;
import io.gancluster.core.eval.EvaluationReport;
import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.model.recipe.PresetOverrides;
import io.gancluster.core.model.recipe.Presets;
import io.gancluster.core.nn.NetworkState;
import io.gancluster.core.random.Seeds;
import io.gancluster.discriminator.LocalDiscriminatorPeer;
import io.gancluster.generator.GeneratorTrainer;
import io.gancluster.generator.LocalGeneratorPeer;
import io.gancluster.trainer.eval.EvaluationSettings;
import io.gancluster.trainer.eval.RunEvaluation;
import io.gancluster.trainer.run.EvaluationScore;
import io.gancluster.trainer.run.RunConfig;
import io.gancluster.trainer.run.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The run keeps the checkpoint its evaluation scored best beside the newest ones, across resumes. */
class BestCheckpointTest {
  static final long SEED = 9;
  static final Preset TINY = Presets.get("tiny"); // batch 8: a 128-image set is an epoch of 16 steps
  static final int SAMPLES = 20; // one Sample call of the evaluation
  static final PresetOverrides EMA = new PresetOverrides(null, null, null, null, null, null, null, null, null, null,
      null, null, null, null, 0.9);

  @TempDir
  Path tmp;

  @Test
  void lowerFrechetDistanceWinsAndLabelAccuracyOnlyBreaksTies() {
    EvaluationScore a = new EvaluationScore(12.0, 0.5);
    assertThat(new EvaluationScore(11.9, 0.1).betterThan(a)).isTrue();
    assertThat(new EvaluationScore(12.1, 0.9).betterThan(a)).isFalse();
    assertThat(new EvaluationScore(12.00001, 0.6).betterThan(a)).as("a tie at eval.csv's 4 decimals").isTrue();
    assertThat(new EvaluationScore(12.00001, 0.4).betterThan(a)).isFalse();
    assertThat(new EvaluationScore(12.0, 0.5).betterThan(a)).as("equal is not better").isFalse();
    assertThat(new EvaluationScore(12.0, Double.NaN).betterThan(new EvaluationScore(12.0, Double.NaN))).isFalse();
    assertThat(new EvaluationScore(Double.NaN, 1).betterThan(null)).isFalse();
    assertThat(new EvaluationScore(Double.POSITIVE_INFINITY, 1).betterThan(a)).isFalse();
    assertThat(new EvaluationScore(30, Double.NaN).betterThan(null)).isTrue();
    assertThat(new EvaluationScore(30, Double.NaN).betterThan(new EvaluationScore(Double.NaN, 0.9))).isTrue();
  }

  @Test
  void aRunWhoseEvaluationImprovesThenWorsensKeepsTheBetterStepAndAResumeKeepsIt() throws Exception {
    ImageSet data = smallMnist();
    Path dir = tmp.resolve("run");
    // epochs end at steps 16 and 32, the run ends at 40: FD 5, then 3 (best), then 4
    Map<Long, Double> fd = new HashMap<>(Map.of(16L, 5.0, 32L, 3.0, 40L, 4.0));
    Map<Long, byte[]> generatorAt = new HashMap<>();
    TrainingRun a = run(dir, 40, data, new Peers(), fd, generatorAt, new HashMap<>());
    a.resume();
    a.run();

    assertThat(generatorAt.keySet()).as("evaluated steps").containsExactlyInAnyOrder(16L, 32L, 40L);
    assertThat(a.bestStep()).isEqualTo(32);
    CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints"), Integer.MAX_VALUE);
    Checkpoint best = store.best().orElseThrow().checkpoint();
    assertThat(best.step()).isEqualTo(32);
    assertSameWeights(best.generatorState(), generatorAt.get(32L));
    assertThat(best.config()).containsEntry("preset", "tiny").containsEntry("seed", Long.toString(SEED));
    assertThat(store.listNewestFirst()).extracting(p -> p.getFileName().toString())
        .doesNotContain("best.zip").contains("checkpoint-000000040.zip");
    assertThat(CheckpointChoice.BEST.resolve(dir)).isEqualTo(store.bestFile());
    assertThat(CheckpointChoice.LATEST.resolve(dir).getFileName().toString()).isEqualTo("checkpoint-000000040.zip");

    // a resumed run, on fresh peers, must beat FD 3 to replace it: 3.5 (step 48) and 3.2 (step 56) do not
    TrainingRun b = run(dir, 56, data, new Peers(), new HashMap<>(Map.of(48L, 3.5, 56L, 3.2)), new HashMap<>(),
        new HashMap<>());
    assertThat(b.resume()).isEqualTo(40);
    assertThat(b.bestStep()).as("the best score is read back from the run folder").isEqualTo(32);
    assertThat(b.bestScore()).isEqualTo(new EvaluationScore(3.0, Double.NaN));
    b.run();
    assertThat(store.best().orElseThrow().checkpoint().step()).isEqualTo(32);
    assertSameWeights(store.best().orElseThrow().checkpoint().generatorState(), generatorAt.get(32L));

    // ...and a better one does
    Map<Long, byte[]> later = new HashMap<>();
    TrainingRun c = run(dir, 64, data, new Peers(), new HashMap<>(Map.of(64L, 2.5)), later, new HashMap<>());
    c.resume();
    c.run();
    assertThat(store.best().orElseThrow().checkpoint().step()).isEqualTo(64);
    assertSameWeights(store.best().orElseThrow().checkpoint().generatorState(), later.get(64L));
    assertThat(c.bestScore()).isEqualTo(new EvaluationScore(2.5, Double.NaN));
  }

  @Test
  void aBestCheckpointWithoutAScoreIsReplacedByTheNextEvaluationOfAResumedRun() throws Exception {
    ImageSet data = smallMnist();
    Path dir = tmp.resolve("run");
    TrainingRun a = run(dir, 16, data, new Peers(), new HashMap<>(Map.of(16L, 1.0)), new HashMap<>(),
        new HashMap<>());
    a.resume();
    a.run();
    Path best = dir.resolve("checkpoints/best.zip");
    // a best.zip that carries no score (here: a plain checkpoint copied over it) cannot be compared with
    Files.copy(dir.resolve("checkpoints/checkpoint-000000016.zip"), best, StandardCopyOption.REPLACE_EXISTING);
    TrainingRun b = run(dir, 32, data, new Peers(), new HashMap<>(Map.of(32L, 50.0)), new HashMap<>(),
        new HashMap<>());
    assertThat(b.resume()).isEqualTo(16);
    assertThat(b.bestStep()).isEqualTo(-1);
    b.run();
    assertThat(CheckpointStore.read(best).step()).isEqualTo(32);
    assertThat(b.bestScore()).isEqualTo(new EvaluationScore(50.0, Double.NaN));
  }

  @Test
  void aBestCheckpointOfAnotherRunIsNeitherComparedWithNorServed() throws Exception {
    ImageSet data = smallMnist();
    Path dir = tmp.resolve("run");
    TrainingRun a = run(dir, 16, data, new Peers(), new HashMap<>(Map.of(16L, 1.0)), new HashMap<>(),
        new HashMap<>());
    a.resume();
    a.run();
    CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints"), Integer.MAX_VALUE);
    Checkpoint ours = store.best().orElseThrow().checkpoint();
    Map<String, String> foreign = new HashMap<>(ours.config());
    foreign.put("seed", Long.toString(SEED + 1)); // a best.zip brought over from a run of another seed
    store.writeBest(new Checkpoint(ours.step(), ours.epoch(), SEED + 1, foreign, ours.generatorState(),
        ours.discriminatorState()));

    TrainingRun b = run(dir, 16, data, new Peers(), new HashMap<>(), new HashMap<>(), new HashMap<>());
    assertThat(b.resume()).isEqualTo(16);
    assertThat(b.bestStep()).as("another run's score is not the one to beat").isEqualTo(-1);
    assertThat(b.serveBest()).startsWith("serving the latest weights, run/checkpoint-000000016 (step 16)")
        .contains("no best checkpoint");
  }

  @Test
  void afterTheRunTheBestGeneratorIsServedAndTheLineSaysWhich() {
    ImageSet data = smallMnist();
    Peers p = new Peers();
    Map<Long, byte[]> generatorAt = new HashMap<>();
    TrainingRun a = run(tmp.resolve("run"), 32, data, p, new HashMap<>(Map.of(16L, 2.0, 32L, 6.0)), generatorAt,
        new HashMap<>());
    a.resume();
    a.run();
    assertSameWeights(p.g.exportState(), generatorAt.get(32L));
    String line = a.serveBest();
    assertThat(line).contains("run/best-000000016 (step 16)").contains("FD 2.0000")
        .contains("checkpoint-000000032 (step 32)");
    assertSameWeights(p.g.exportState(), generatorAt.get(16L));
  }

  @Test
  void aRunKeepingAnAverageOfGsWeightsKeepsTheAverageItEvaluatedAsBest() {
    ImageSet data = smallMnist();
    Preset preset = EMA.applyTo(TINY);
    Peers p = new Peers(preset);
    Map<Long, byte[]> generatorAt = new HashMap<>();
    Map<Long, INDArray> evaluated = new HashMap<>();
    TrainingRun a = run(tmp.resolve("run"), 32, data, p, new HashMap<>(Map.of(16L, 2.0, 32L, 6.0)), generatorAt,
        evaluated, EMA);
    a.resume();
    a.run();

    Checkpoint best = new CheckpointStore(tmp.resolve("run/checkpoints"), 3).best().orElseThrow().checkpoint();
    assertThat(best.step()).isEqualTo(16);
    Map<String, INDArray> averages = NetworkState.averages(best.generatorState());
    assertThat(averages).as("the average is in best.zip").isNotEmpty();
    assertSameArrays(averages, NetworkState.averages(generatorAt.get(16L)));
    assertSameWeights(best.generatorState(), generatorAt.get(16L));

    // the images the evaluation scored come back from best.zip alone: it sampled the average, and best.zip holds it
    GeneratorTrainer g = new GeneratorTrainer(preset, DataType.FLOAT, 0);
    g.importState(best.generatorState());
    long evaluationSeed = Seeds.derive(SEED, "evaluation");
    assertThat(g.sample(SAMPLES, evaluationSeed, null)).isEqualTo(evaluated.get(16L));
    assertThat(g.sampleRawWeights(true).sample(SAMPLES, evaluationSeed, null).equalsWithEps(evaluated.get(16L), 1e-4))
        .as("the trained weights themselves sample other images").isFalse();
  }

  @Test
  void aNewRunInAFolderRemovesAnEarlierRunsBest() throws Exception {
    ImageSet data = smallMnist();
    Path dir = tmp.resolve("run");
    TrainingRun a = run(dir, 16, data, new Peers(), new HashMap<>(Map.of(16L, 1.0)), new HashMap<>(),
        new HashMap<>());
    a.resume();
    a.run();
    Path best = dir.resolve("checkpoints/best.zip");
    assertThat(best).exists();
    try (var files = Files.list(dir.resolve("checkpoints"))) {
      for (Path f : files.toList()) {
        if (!f.equals(best)) {
          Files.delete(f);
        }
      }
    }
    TrainingRun fresh = run(dir, 4, data, new Peers(), new HashMap<>(), new HashMap<>(), new HashMap<>());
    assertThat(fresh.resume()).isZero();
    assertThat(best).doesNotExist();
    assertThat(fresh.serveBest()).contains("no best checkpoint");
  }

  private TrainingRun run(Path dir, long steps, ImageSet data, Peers peers, Map<Long, Double> fd,
      Map<Long, byte[]> generatorAt, Map<Long, INDArray> evaluated) {
    return run(dir, steps, data, peers, fd, generatorAt, evaluated, PresetOverrides.NONE);
  }

  /** A run whose evaluation scores step N with {@code fd.get(N)} (100 if absent), recording what it scored. */
  private TrainingRun run(Path dir, long steps, ImageSet data, Peers peers, Map<Long, Double> fd,
      Map<Long, byte[]> generatorAt, Map<Long, INDArray> evaluated, PresetOverrides overrides) {
    TrainingRun run = new TrainingRun(new RunConfig("tiny", "mnist", SEED, dir, steps, 0, 100, overrides), data,
        peers.g, peers.d);
    RunEvaluation.Scorer fake = (images, labels) -> {
      long step = run.step();
      generatorAt.put(step, peers.g.exportState());
      evaluated.put(step, images.dup());
      return report(fd.getOrDefault(step, 100.0), images.size(0));
    };
    run.addListener(new RunEvaluation(new EvaluationSettings(1, SAMPLES, tmp.resolve("cache"), null), data, "mnist",
        peers.g, 0, run.folder(), SEED, fake).keepingBest(run));
    return run;
  }

  private static EvaluationReport report(double frechetDistance, long count) {
    return new EvaluationReport("fake", 1, (int) count, frechetDistance, 0.5, 1, 1, Double.NaN, new double[0], 10, 10,
        0, 1, 1);
  }

  private static ImageSet smallMnist() {
    ImageSet full = DataSources.load("mnist");
    return new ImageSet("mnist-128", 28, 28, Arrays.copyOf(full.pixelBytes(), 128 * 784),
        Arrays.copyOf(full.labelBytes(), 128));
  }

  private static void assertSameWeights(byte[] actual, byte[] expected) {
    assertSameArrays(NetworkState.parameters(actual), NetworkState.parameters(expected));
  }

  private static void assertSameArrays(Map<String, INDArray> a, Map<String, INDArray> e) {
    assertThat(a.keySet()).isEqualTo(e.keySet());
    List<String> differing = new ArrayList<>();
    e.forEach((k, v) -> {
      if (!Arrays.equals(a.get(k).data().asFloat(), v.data().asFloat())) {
        differing.add(k);
      }
    });
    assertThat(differing).isEmpty();
  }

  private static final class Peers {
    final GeneratorPeer g;
    final DiscriminatorPeer d;

    Peers() {
      this(TINY);
    }

    Peers(Preset preset) {
      g = new LocalGeneratorPeer(preset, SEED, DataType.FLOAT);
      d = new LocalDiscriminatorPeer(preset, SEED, DataType.FLOAT);
    }
  }
}
