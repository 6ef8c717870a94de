package io.gancluster.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.gancluster.core.data.DataSources;
import io.gancluster.core.data.ImageSet;
import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.model.recipe.Presets;
import io.gancluster.trainer.eval.EvaluationSettings;
import io.gancluster.trainer.eval.RunEvaluation;
import io.gancluster.client.peer.DiscriminatorPeer;
import io.gancluster.client.peer.GeneratorPeer;
import io.gancluster.discriminator.LocalDiscriminatorPeer;
import io.gancluster.generator.LocalGeneratorPeer;
import io.gancluster.trainer.run.RunConfig;
import io.gancluster.trainer.run.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/** A run evaluates its generator at every epoch end: eval.csv rows, JSON files, published results, the best checkpoint. */
class RunEvaluationIT {
  static final long SEED = 5;

  @TempDir
  Path tmp;

  @Test
  void everyEpochEndIsEvaluatedAndRecorded() throws Exception {
    Preset tiny = Presets.get("tiny"); // batch 8: a 128-image set is an epoch of 16 steps
    ImageSet full = DataSources.load("mnist");
    ImageSet data = new ImageSet("mnist-128", 28, 28, Arrays.copyOf(full.pixelBytes(), 128 * 784),
        Arrays.copyOf(full.labelBytes(), 128));
    GeneratorPeer g = new LocalGeneratorPeer(tiny, SEED, DataType.FLOAT);
    DiscriminatorPeer d = new LocalDiscriminatorPeer(tiny, SEED, DataType.FLOAT);
    TrainingRun run = new TrainingRun(new RunConfig("tiny", "mnist", SEED, tmp.resolve("run"), 40, 0, 100), data, g, d);
    List<RunEvaluation.Result> published = new ArrayList<>();
    run.addListener(new RunEvaluation(new EvaluationSettings(1, 300, tmp.resolve("cache"), null), data, "mnist", g, 0,
        run.folder(), SEED).onResult(published::add).keepingBest(run));

    run.resume();
    run.run();

    // 40 steps: epochs end at steps 16 and 32, and the run's end (step 40, in epoch 3) is measured too
    assertThat(published).extracting(RunEvaluation.Result::step).containsExactly(16L, 32L, 40L);
    assertThat(published).extracting(RunEvaluation.Result::epoch).containsExactly(1, 2, 3);
    RunEvaluation.Result last = published.get(1);
    assertThat(last.report().count()).isEqualTo(300); // sampled in chunks, as the service allows
    assertThat(last.report().frechetDistance()).isGreaterThan(last.report().frechetFloor());
    assertThat(last.report().labelAccuracy()).isNaN(); // unconditional
    List<String> csv = Files.readAllLines(tmp.resolve("run/eval.csv"));
    assertThat(csv).hasSize(4);
    assertThat(csv.get(0)).isEqualTo(RunEvaluation.CSV_HEADER);
    assertThat(csv.get(2)).startsWith("32,2,300,");
    assertThat(csv.get(3)).startsWith("40,3,300,");
    assertThat(tmp.resolve("run/eval/step-000032.json")).content().contains("\"frechet_distance\"");
    assertThat(Files.list(tmp.resolve("cache")).toList()).hasSize(1); // the evaluator, trained once, cached
    RunEvaluation.Result lowest = published.stream()
        .min(java.util.Comparator.comparingDouble(r -> r.report().frechetDistance())).orElseThrow();
    assertThat(io.gancluster.core.checkpoint.CheckpointStore.read(tmp.resolve("run/checkpoints/best.zip")).step())
        .as("the best checkpoint is the step with the lowest FD").isEqualTo(lowest.step());
    assertThat(run.bestStep()).isEqualTo(lowest.step());
    assertThat(run.bestScore().frechetDistance()).isEqualTo(lowest.report().frechetDistance());
  }
}
