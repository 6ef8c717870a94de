package io.gancluster.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.gancluster.core.data.DataSources;
import io.gancluster.core.data.ImageSet;
import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.model.recipe.Presets;
import io.gancluster.core.nn.NetworkState;
import io.gancluster.client.peer.DiscriminatorPeer;
import io.gancluster.client.peer.GeneratorPeer;
import io.gancluster.trainer.schedule.AdversarialSchedule;
import io.gancluster.trainer.schedule.Batches;
import io.gancluster.trainer.schedule.StepReport;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every built-in preset, at its real size, runs in the split cluster (both services over gRPC on
 * loopback): two generator steps (with the preset's n_critic discriminator steps each) on a small
 * slice of the bundled digits, at batch 4 to stay fast. Losses stay finite and both networks' parameters move.
 */
class PresetSmokeIT {
  static Stream<String> presets() {
    return Presets.all().keySet().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("presets")
  void presetTrainsInTheSplitCluster(String name) {
    Preset preset = Presets.get(name).withBatchSize(4);
    ImageSet data = DataSources.load("mnist");
    try (LoopbackCluster cluster = new LoopbackCluster(preset, 1)) {
      GeneratorPeer g = cluster.generatorPeer();
      DiscriminatorPeer d = cluster.discriminatorPeer();
      assertThat(d.recipe()).isEqualTo(preset.discriminatorRecipe());
      byte[] g0 = g.exportState();
      byte[] d0 = d.exportState();
      AdversarialSchedule schedule = new AdversarialSchedule(g, d, new Batches(data, 4, 1), 1, preset);
      schedule.expectUpdates(0, 0);
      for (int k = 0; k < 2; k++) {
        StepReport r = schedule.step(k);
        assertThat(r.dLoss()).as("D loss, step %d", k + 1).isFinite();
        assertThat(r.gLoss()).as("G loss, step %d", k + 1).isFinite();
        if (preset.objective().loss() == io.gancluster.core.model.recipe.Objective.Loss.WGAN_GP) {
          assertThat(r.criticGradNorm()).isPositive().isFinite();
        }
      }
      assertThat(d.updates()).isEqualTo(2L * preset.criticSteps());
      assertThat(g.updates()).isEqualTo(2);
      assertMoved("generator", g0, g.exportState());
      assertMoved("discriminator", d0, d.exportState());
    }
  }

  private static void assertMoved(String network, byte[] before, byte[] after) {
    Map<String, INDArray> a = NetworkState.parameters(before);
    Map<String, INDArray> b = NetworkState.parameters(after);
    long moved = a.keySet().stream().filter(p -> !a.get(p).equals(b.get(p))).count();
    assertThat(moved).as("%s parameter arrays that changed", network).isPositive();
    assertThat(b.values()).allSatisfy(x -> assertThat(x.isInfinite().any() || x.isNaN().any()).isFalse());
  }
}
