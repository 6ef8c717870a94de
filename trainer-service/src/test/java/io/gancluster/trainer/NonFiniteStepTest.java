package io.gancluster.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.gancluster.core.checkpoint.CheckpointStore;
import io.gancluster.core.data.DataSources;
import io.gancluster.core.data.ImageSet;
import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.model.recipe.Presets;
import io.gancluster.core.nn.AdamOptimizer;
import io.gancluster.core.nn.NetworkState;
import io.gancluster.client.peer.DiscriminatorPeer;
import io.gancluster.client.peer.GeneratorPeer;
import io.gancluster.discriminator.LocalDiscriminatorPeer;
import io.gancluster.generator.LocalGeneratorPeer;
import io.gancluster.trainer.run.RunConfig;
import io.gancluster.trainer.run.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * NaN reaches the discriminator at step 5 (a poisoned real batch) and the generator's image gradient
 * at step 8. The services refuse to apply those updates; the run stops there (STOP) or goes on (SKIP),
 * and no checkpoint ever holds a NaN.
 */
class NonFiniteStepTest {
  static final Preset TINY = Presets.get("tiny");

  @TempDir
  Path tmp;

  /** The real discriminator, fed a NaN batch at one step; and a NaN image gradient at another. */
  private static DiscriminatorPeer poisoned(DiscriminatorPeer d, long nanRealStep, long nanGradientStep) {
    return new ForwardingDiscriminator(() -> d) {
      @Override
      public DStep trainStep(long stepId, INDArray real, int[] rl, INDArray fake, int[] fl) {
        INDArray r = stepId == nanRealStep ? real.dup().putScalar(0, Double.NaN) : real;
        return d.trainStep(stepId, r, rl, fake, fl);
      }

      @Override
      public GGradient generatorGradient(long stepId, INDArray fake, int[] fl, INDArray real) {
        GGradient g = d.generatorGradient(stepId, fake, fl, real);
        return stepId == nanGradientStep ? new GGradient(Double.NaN, null) : g;
      }
    };
  }

  @Test
  void stopEndsTheRunAtTheNaNWithoutACheckpointOfIt() throws Exception {
    ImageSet data = DataSources.load("mnist");
    GeneratorPeer g = new LocalGeneratorPeer(TINY, 4, DataType.FLOAT);
    DiscriminatorPeer d = poisoned(new LocalDiscriminatorPeer(TINY, 4, DataType.FLOAT), 4, -1);
    Path run = tmp.resolve("stop");
    TrainingRun r = new TrainingRun(new RunConfig("tiny", "mnist", 4, run, 20, 0, 1), data, g, d);
    r.resume();
    TrainingRun.Outcome o = r.run();
    assertThat(o.reason()).isEqualTo(TrainingRun.Outcome.Reason.FAILED);
    assertThat(o.step()).isEqualTo(5); // D step ids are 0-based: batch 4 belongs to step 5
    assertThat(o.message()).contains("non-finite").contains("step 5").contains("not applied")
        .contains("checkpoint-000000000");
    assertThat(new CheckpointStore(run.resolve("checkpoints"), 9).listNewestFirst()).hasSize(1); // step 0 only
    assertThat(finite(d.exportState())).as("D's parameters after the refused update").isTrue();
  }

  @Test
  void skipGoesOnWithUnchangedNetworksAndEveryCheckpointIsFinite() throws Exception {
    ImageSet data = DataSources.load("mnist");
    GeneratorPeer g = new LocalGeneratorPeer(TINY, 4, DataType.FLOAT);
    DiscriminatorPeer d = poisoned(new LocalDiscriminatorPeer(TINY, 4, DataType.FLOAT), 4, 7 * 2 + 1);
    Path run = tmp.resolve("skip");
    TrainingRun r = new TrainingRun(new RunConfig("tiny", "mnist", 4, run, 20, 0, 1), data, g, d)
        .onNonFinite(TrainingRun.NonFinitePolicy.SKIP);
    r.resume();
    TrainingRun.Outcome o = r.run();
    assertThat(o.reason()).isEqualTo(TrainingRun.Outcome.Reason.COMPLETED);
    assertThat(o.step()).isEqualTo(20);
    assertThat(r.nonFiniteSteps()).as("the D step and the G step that met NaN").isEqualTo(2);
    assertThat(g.updates()).as("skipped updates still count, so peers stay in step").isEqualTo(20);
    assertThat(d.updates()).isEqualTo(20);
    for (Path c : new CheckpointStore(run.resolve("checkpoints"), 9).listNewestFirst()) {
      var cp = CheckpointStore.read(c);
      assertThat(finite(cp.generatorState()) && finite(cp.discriminatorState())).as(c.toString()).isTrue();
    }
    List<String> rows = Files.readAllLines(run.resolve("losses.csv"));
    assertThat(rows).hasSize(21);
    assertThat(rows.get(5)).as("step 5's row records the NaN").contains("NaN");
  }

  @Test
  void anUpdateWithANaNGradientChangesNothingButTheCount() {
    var g = new io.gancluster.generator.GeneratorTrainer(TINY, DataType.FLOAT, 1);
    INDArray z = org.nd4j.linalg.factory.Nd4j.rand(DataType.FLOAT, 4, g.zDim());
    g.generate(1, z, true); // training mode: updates batch-norm running statistics, so take the state after it
    byte[] before = g.exportState();
    INDArray grad = org.nd4j.linalg.factory.Nd4j.zeros(DataType.FLOAT, 4, 1, 28, 28).putScalar(3, Double.POSITIVE_INFINITY);
    g.applyGradient(1, grad);
    assertThat(g.lastSkipped()).isTrue();
    assertThat(g.updates()).isEqualTo(1);
    var a = NetworkState.parameters(before);
    var b = NetworkState.parameters(g.exportState());
    for (String k : a.keySet()) {
      assertThat(b.get(k).dup().data().asFloat()).as(k).containsExactly(a.get(k).dup().data().asFloat());
    }
  }

  private static boolean finite(byte[] state) {
    return NetworkState.parameters(state).values().stream().allMatch(AdamOptimizer::finite);
  }
}
