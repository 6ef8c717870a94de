package io.gancluster.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.gancluster.core.data.DataSources;
import io.gancluster.core.data.ImageSet;
import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.model.recipe.Presets;
import io.gancluster.core.nn.NetworkState;
import io.gancluster.client.peer.DiscriminatorPeer;
import io.gancluster.client.peer.GeneratorPeer;
import io.gancluster.discriminator.LocalDiscriminatorPeer;
import io.gancluster.generator.LocalGeneratorPeer;
import io.gancluster.trainer.schedule.AdversarialSchedule;
import io.gancluster.trainer.schedule.Batches;
import io.gancluster.trainer.schedule.StepReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.gancluster.core.model.recipe.Conditioning;
import io.gancluster.core.model.recipe.Objective;
import io.gancluster.core.model.recipe.PresetOverrides;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * K alternating steps of the split cluster over real gRPC on loopback end with the same parameters
 * (and report the same losses) as the same two networks trained in this process without gRPC.
 */
class SplitEquivalenceTest {
  static final int K = 4;
  static final long SEED = 9;

  static Stream<Arguments> recipes() {
    Preset tiny = Presets.get("tiny");
    return Stream.of(
        Arguments.of("bce", tiny),
        Arguments.of("wgan-gp, n_critic 3", new PresetOverrides("wgan-gp", 3, null, null, null, null, null, null, null,
            null, null, null, null, "uniform").applyTo(tiny)),
        Arguments.of("bce, feature matching, real label 0.9", new PresetOverrides(null, null, null, null, 0.9, true,
            null, null, null, null, null, null, null, null).applyTo(tiny)),
        Arguments.of("AC-GAN (label embedding, auxiliary classifier)", tiny.withModel(tiny.model().withConditioning(
            new Conditioning(10, Conditioning.GeneratorLabels.MULTIPLY, Conditioning.DiscriminatorLabels.AUXILIARY)))),
        Arguments.of("GAN-cls (concat, label channel, matching-aware lsgan)", tiny.withModel(tiny.model()
                .withConditioning(new Conditioning(10, Conditioning.GeneratorLabels.CONCAT,
                    Conditioning.DiscriminatorLabels.INPUT_CHANNEL)))
            .withObjective(Objective.of(Objective.Loss.LSGAN).withMatchingAware(true))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("recipes")
  void splitClusterOverGrpcTrainsExactlyLikeInProcess(String recipe, Preset preset) {
    ImageSet data = DataSources.load("mnist");

    GeneratorPeer localG = new LocalGeneratorPeer(preset, SEED, DataType.FLOAT);
    DiscriminatorPeer localD = new LocalDiscriminatorPeer(preset, SEED, DataType.FLOAT);
    List<StepReport> local = run(preset, data, localG, localD);

    try (LoopbackCluster cluster = new LoopbackCluster(preset, SEED)) {
      GeneratorPeer remoteG = cluster.generatorPeer();
      DiscriminatorPeer remoteD = cluster.discriminatorPeer();
      List<StepReport> remote = run(preset, data, remoteG, remoteD);

      for (int i = 0; i < K; i++) {
        assertThat(remote.get(i).dLoss()).as("D loss, step %d", i + 1).isCloseTo(local.get(i).dLoss(), within());
        assertThat(remote.get(i).gLoss()).as("G loss, step %d", i + 1).isCloseTo(local.get(i).gLoss(), within());
      }
      assertSameParameters("generator", localG.exportState(), remoteG.exportState());
      assertSameParameters("discriminator", localD.exportState(), remoteD.exportState());
      System.out.printf("split vs in-process (%s) after %d steps: worst parameter difference %.2e (relative)%n",
          recipe, K, worstRelative);
    }
  }

  private static List<StepReport> run(Preset preset, ImageSet data, GeneratorPeer g, DiscriminatorPeer d) {
    AdversarialSchedule schedule = new AdversarialSchedule(g, d, new Batches(data, preset.batchSize(), SEED), SEED,
        preset);
    schedule.expectUpdates(0, 0);
    List<StepReport> reports = new ArrayList<>();
    for (int k = 0; k < K; k++) {
      reports.add(schedule.step(k));
    }
    return reports;
  }

  private static void assertSameParameters(String network, byte[] expectedState, byte[] actualState) {
    Map<String, INDArray> expected = NetworkState.parameters(expectedState);
    Map<String, INDArray> actual = NetworkState.parameters(actualState);
    assertThat(actual.keySet()).as(network).isEqualTo(expected.keySet());
    for (String p : expected.keySet()) {
      double diff = expected.get(p).sub(actual.get(p)).amaxNumber().doubleValue();
      double scale = Math.max(1e-3, expected.get(p).amaxNumber().doubleValue());
      worstRelative = Math.max(worstRelative, diff / scale);
      assertThat(diff / scale).as("%s %s: max |local - split| / max |local|", network, p).isLessThan(1e-5);
    }
    // the parameters did move: the comparison is not between two untouched initialisations
    assertThat(expected.values().stream().anyMatch(a -> a.amaxNumber().doubleValue() > 0)).isTrue();
  }

  static double worstRelative;

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-5);
  }
}
