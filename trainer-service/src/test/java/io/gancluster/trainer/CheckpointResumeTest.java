package io.gancluster.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gancluster.core.data.DataSources;
import io.gancluster.core.data.ImageSet;
import io.gancluster.core.model.Preset;
import io.gancluster.core.model.Presets;
import io.gancluster.core.nn.NetworkState;
import io.gancluster.trainer.peer.DiscriminatorPeer;
import io.gancluster.trainer.peer.GeneratorPeer;
import io.gancluster.trainer.peer.InProcessPeers;
import io.gancluster.trainer.run.RunConfig;
import io.gancluster.trainer.run.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** N steps, checkpoint, fresh networks, resume, N steps == 2N steps straight. */
class CheckpointResumeTest {
  static final long SEED = 21;
  static final Preset PRESET = Presets.get("tiny");

  @TempDir
  Path tmp;

  @Test
  void resumedRunEndsWhereAnUninterruptedRunEnds() throws Exception {
    ImageSet data = DataSources.load("mnist");
    Peers straight = new Peers();
    TrainingRun a = new TrainingRun(config(tmp.resolve("straight"), 6), data, straight.g, straight.d);
    a.resume();
    assertThat(a.run().step()).isEqualTo(6);

    Peers first = new Peers();
    TrainingRun b1 = new TrainingRun(config(tmp.resolve("resumed"), 3), data, first.g, first.d);
    b1.resume();
    assertThat(b1.run().step()).isEqualTo(3);

    Peers second = new Peers(); // fresh weights: everything must come from the checkpoint
    TrainingRun b2 = new TrainingRun(config(tmp.resolve("resumed"), 6), data, second.g, second.d);
    assertThat(b2.resume()).isEqualTo(3);
    assertThat(b2.run().step()).isEqualTo(6);

    assertSame(straight.g.exportState(), second.g.exportState());
    assertSame(straight.d.exportState(), second.d.exportState());
    List<String> straightCsv = Files.readAllLines(tmp.resolve("straight/losses.csv"));
    List<String> resumedCsv = Files.readAllLines(tmp.resolve("resumed/losses.csv"));
    assertThat(resumedCsv).hasSize(7); // header + one row per step, none duplicated by the resume
    assertThat(resumedCsv.stream().map(CheckpointResumeTest::withoutTiming).toList())
        .isEqualTo(straightCsv.stream().map(CheckpointResumeTest::withoutTiming).toList());
    assertThat(tmp.resolve("resumed/samples/latest.png")).exists();
  }

  @Test
  void refusesToResumeARunFolderOfAnotherPreset() {
    ImageSet data = DataSources.load("mnist");
    Peers p = new Peers();
    TrainingRun a = new TrainingRun(config(tmp.resolve("run"), 1), data, p.g, p.d);
    a.resume();
    a.run();
    RunConfig other = new RunConfig(PRESET.name(), "mnist", SEED + 1, tmp.resolve("run"), 2, 0, 1);
    TrainingRun b = new TrainingRun(other, data, p.g, p.d);
    assertThatThrownBy(b::resume).hasMessageContaining("seed=" + SEED).hasMessageContaining("another run folder");
  }

  @Test
  void refusesToStartANewRunOnNetworksThatAlreadyTrained() {
    ImageSet data = DataSources.load("mnist");
    Peers p = new Peers();
    TrainingRun first = new TrainingRun(config(tmp.resolve("first"), 2), data, p.g, p.d);
    first.resume();
    first.run();
    TrainingRun second = new TrainingRun(config(tmp.resolve("second"), 2), data, p.g, p.d);
    assertThatThrownBy(second::resume).hasMessageContaining("already taken 2 optimizer updates")
        .hasMessageContaining("freshly started services");
  }

  private static RunConfig config(Path dir, long steps) {
    return new RunConfig(PRESET.name(), "mnist", SEED, dir, steps, 0, 1);
  }

  /** step..fake_score, without the wall-clock column. */
  private static String withoutTiming(String row) {
    return row.substring(0, row.lastIndexOf(','));
  }

  private static void assertSame(byte[] expected, byte[] actual) {
    Map<String, INDArray> e = NetworkState.parameters(expected);
    Map<String, INDArray> a = NetworkState.parameters(actual);
    assertThat(a.keySet()).isEqualTo(e.keySet());
    for (String k : e.keySet()) {
      assertThat(a.get(k).equalsWithEps(e.get(k), 1e-6)).as(k).isTrue();
    }
  }

  private static final class Peers {
    final GeneratorPeer g = InProcessPeers.generator(PRESET, SEED, DataType.FLOAT);
    final DiscriminatorPeer d = InProcessPeers.discriminator(PRESET, SEED, DataType.FLOAT);
  }
}
