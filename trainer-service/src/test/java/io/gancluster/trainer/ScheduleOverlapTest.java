package io.gancluster.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.gancluster.client.peer.DiscriminatorPeer;
import io.gancluster.client.peer.GeneratorPeer;
import io.gancluster.core.data.DataSources;
import io.gancluster.core.data.ImageSet;
import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.model.recipe.PresetOverrides;
import io.gancluster.core.model.recipe.Presets;
import io.gancluster.core.nn.NetworkState;
import io.gancluster.discriminator.LocalDiscriminatorPeer;
import io.gancluster.generator.LocalGeneratorPeer;
import io.gancluster.trainer.schedule.AdversarialSchedule;
import io.gancluster.trainer.schedule.Batches;
import io.gancluster.trainer.schedule.StepReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Running G's forward passes beside D's updates changes when they run, not what they compute: the
 * overlapping schedule ends with bit-identical parameters and losses to the sequential one.
 */
class ScheduleOverlapTest {
  private static final int K = 3;
  private static final long SEED = 5;

  static Stream<Arguments> recipes() {
    Preset tiny = Presets.get("tiny");
    return Stream.of(
        Arguments.of("bce, n_critic 1", tiny),
        Arguments.of("wgan-gp, n_critic 3", new PresetOverrides("wgan-gp", 3, null, null, null, null, null, null, null,
            null, null, null, null, "uniform").applyTo(tiny)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("recipes")
  void overlappingScheduleTrainsBitForBitLikeTheSequentialOne(String recipe, Preset preset) {
    ImageSet data = DataSources.load("mnist");
    GeneratorPeer seqG = new LocalGeneratorPeer(preset, SEED, DataType.FLOAT);
    DiscriminatorPeer seqD = new LocalDiscriminatorPeer(preset, SEED, DataType.FLOAT);
    GeneratorPeer overG = new LocalGeneratorPeer(preset, SEED, DataType.FLOAT);
    DiscriminatorPeer overD = new LocalDiscriminatorPeer(preset, SEED, DataType.FLOAT);

    List<StepReport> sequential = run(preset, data, seqG, seqD, false);
    List<StepReport> overlapping = run(preset, data, overG, overD, true);

    for (int i = 0; i < K; i++) {
      assertThat(overlapping.get(i).dLoss()).as("D loss, step %d", i + 1).isEqualTo(sequential.get(i).dLoss());
      assertThat(overlapping.get(i).gLoss()).as("G loss, step %d", i + 1).isEqualTo(sequential.get(i).gLoss());
    }
    assertIdentical("generator", seqG.exportState(), overG.exportState());
    assertIdentical("discriminator", seqD.exportState(), overD.exportState());
  }

  private static List<StepReport> run(Preset preset, ImageSet data, GeneratorPeer g, DiscriminatorPeer d,
      boolean overlap) {
    AdversarialSchedule schedule = new AdversarialSchedule(g, d, new Batches(data, preset.batchSize(), SEED), SEED,
        preset).overlapping(overlap);
    schedule.expectUpdates(0, 0);
    List<StepReport> reports = new ArrayList<>();
    for (int k = 0; k < K; k++) {
      reports.add(schedule.step(k));
    }
    return reports;
  }

  private static void assertIdentical(String network, byte[] expectedState, byte[] actualState) {
    Map<String, INDArray> expected = NetworkState.parameters(expectedState);
    Map<String, INDArray> actual = NetworkState.parameters(actualState);
    assertThat(actual.keySet()).as(network).isEqualTo(expected.keySet());
    for (String p : expected.keySet()) {
      assertThat(actual.get(p).dup().data().asDouble()).as("%s %s, bit for bit", network, p)
          .containsExactly(expected.get(p).dup().data().asDouble());
    }
  }
}
