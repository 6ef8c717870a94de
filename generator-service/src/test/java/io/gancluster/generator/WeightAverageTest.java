package io.gancluster.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.model.recipe.Presets;
import io.gancluster.core.nn.NetworkState;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The generator's exponential moving average: its arithmetic, skipped steps, sampling and checkpoints. */
class WeightAverageTest {
  private static final Preset TINY_EMA = Presets.get("tiny").withEmaDecay(0.9);

  /** One G step from a random image gradient; returns whether the update was applied. */
  private static boolean step(GeneratorTrainer g, long id, boolean poison) {
    g.generate(id, Nd4j.randn(DataType.FLOAT, 8, g.zDim()), true);
    INDArray grad = Nd4j.randn(DataType.FLOAT, 8, 1, 28, 28);
    if (poison) {
      grad.putScalar(0, Float.NaN);
    }
    g.applyGradient(id, grad);
    return !g.lastSkipped();
  }

  private static Map<String, INDArray> copy(Map<String, INDArray> m) {
    Map<String, INDArray> out = new HashMap<>();
    m.forEach((k, v) -> out.put(k, v.dup()));
    return out;
  }

  @Test
  void averageFollowsTheWarmUpDecayAndIgnoresSkippedUpdates() {
    Nd4j.getRandom().setSeed(4);
    GeneratorTrainer g = new GeneratorTrainer(TINY_EMA, DataType.FLOAT, 3);
    Map<String, INDArray> expected = new HashMap<>();
    for (String p : g.network().trainableParameters()) {
      expected.put(p, g.network().array(p).castTo(DataType.DOUBLE));
    }
    for (long t = 1; t <= 12; t++) {
      boolean poison = t == 5;
      boolean applied = step(g, t, poison);
      assertThat(applied).as("update %d applied", t).isEqualTo(!poison);
      if (applied) {
        double d = Math.min(0.9, (1.0 + g.updates()) / (10.0 + g.updates()));
        for (String p : expected.keySet()) {
          expected.get(p).muli(d).addi(g.network().array(p).castTo(DataType.DOUBLE).mul(1 - d));
        }
      }
    }
    Map<String, INDArray> averaged = NetworkState.averages(g.exportState());
    assertThat(averaged.keySet()).isEqualTo(expected.keySet());
    double worst = 0;
    for (String p : expected.keySet()) {
      worst = Math.max(worst, averaged.get(p).castTo(DataType.DOUBLE).sub(expected.get(p)).amaxNumber().doubleValue());
      assertThat(averaged.get(p).castTo(DataType.DOUBLE).sub(g.network().array(p).castTo(DataType.DOUBLE))
          .amaxNumber().doubleValue()).as("%s: the average is not the live weights", p).isGreaterThan(0);
    }
    assertThat(worst).isCloseTo(0.0, within(1e-6));
  }

  @Test
  void samplesComeFromTheAverageAndRawWeightsStayAvailable() {
    Nd4j.getRandom().setSeed(5);
    GeneratorTrainer g = new GeneratorTrainer(TINY_EMA, DataType.FLOAT, 3);
    for (long t = 1; t <= 6; t++) {
      step(g, t, false);
    }
    assertThat(g.samplesAverage()).isTrue();
    INDArray fromAverage = g.sample(16, 7);
    INDArray raw = g.sampleRawWeights(true).sample(16, 7);
    assertThat(fromAverage.sub(raw).amaxNumber().doubleValue()).isGreaterThan(1e-4);

    GeneratorTrainer plain = new GeneratorTrainer(Presets.get("tiny"), DataType.FLOAT, 3);
    assertThat(plain.samplesAverage()).isFalse();
    assertThat(NetworkState.averages(plain.exportState())).isEmpty();
  }

  @Test
  void exportAndImportKeepTheAverageExactly() {
    Nd4j.getRandom().setSeed(6);
    GeneratorTrainer g = new GeneratorTrainer(TINY_EMA, DataType.FLOAT, 3);
    for (long t = 1; t <= 4; t++) {
      step(g, t, false);
    }
    byte[] saved = g.exportState();
    GeneratorTrainer resumed = new GeneratorTrainer(TINY_EMA, DataType.FLOAT, 99);
    resumed.importState(saved);
    assertThat(resumed.sample(8, 3).data().asFloat()).containsExactly(g.sample(8, 3).data().asFloat());

    Map<String, INDArray> before = copy(NetworkState.averages(saved));
    Nd4j.getRandom().setSeed(8);
    step(g, 5, false);
    Nd4j.getRandom().setSeed(8);
    step(resumed, 5, false);
    Map<String, INDArray> a = NetworkState.averages(g.exportState());
    Map<String, INDArray> b = NetworkState.averages(resumed.exportState());
    for (String p : a.keySet()) {
      assertThat(b.get(p).data().asFloat()).as(p).containsExactly(a.get(p).data().asFloat());
      assertThat(a.get(p).equals(before.get(p))).as("%s moved", p).isFalse();
    }
  }

  @Test
  void aStateWithoutAnAverageStartsItFromTheLiveWeights() {
    GeneratorTrainer plain = new GeneratorTrainer(Presets.get("tiny"), DataType.FLOAT, 3);
    step(plain, 1, false);
    GeneratorTrainer withAverage = new GeneratorTrainer(TINY_EMA, DataType.FLOAT, 3);
    withAverage.importState(plain.exportState());
    Map<String, INDArray> averaged = NetworkState.averages(withAverage.exportState());
    for (String p : averaged.keySet()) {
      assertThat(averaged.get(p).data().asFloat()).as(p)
          .containsExactly(withAverage.network().array(p).data().asFloat());
    }
  }
}
