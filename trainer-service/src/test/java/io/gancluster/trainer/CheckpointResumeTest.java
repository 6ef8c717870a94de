package io.gancluster.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gancluster.core.data.DataSources;
import io.gancluster.core.data.ImageSet;
import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.model.recipe.Presets;
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

  @Test
  void aDamagedNewestCheckpointIsSkippedAndTheRunResumesFromThePreviousOne() throws Exception {
    ImageSet data = DataSources.load("mnist");
    Peers p = new Peers();
    TrainingRun a = new TrainingRun(config(tmp.resolve("run"), 20), data, p.g, p.d); // checkpoints at 0, 10, 20
    a.resume();
    a.run();
    Path newest = tmp.resolve("run/checkpoints/checkpoint-000000020.zip");
    byte[] bytes = Files.readAllBytes(newest);
    bytes[bytes.length / 3] ^= 0x44;
    Files.write(newest, bytes);
    Peers fresh = new Peers();
    TrainingRun b = new TrainingRun(config(tmp.resolve("run"), 30), data, fresh.g, fresh.d);
    assertThat(b.resume()).as("resumed from the previous good checkpoint").isEqualTo(10);
    assertThat(b.run().step()).isEqualTo(30);
    assertThat(Files.readAllLines(tmp.resolve("run/losses.csv"))).hasSize(31);
  }

  @Test
  void aFullDiskAtACheckpointStopsTheRunAndTheLastGoodCheckpointStaysIntact() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/dev/full")), "needs /dev/full (Linux)");
    ImageSet data = DataSources.load("mnist");
    Peers p = new Peers();
    Path run = tmp.resolve("run");
    TrainingRun a = new TrainingRun(config(run, 10), data, p.g, p.d);
    a.resume();
    a.run();
    Path good = run.resolve("checkpoints/checkpoint-000000010.zip");
    byte[] before = Files.readAllBytes(good);
    // from now on the disk is full for the next checkpoint: its temp file is /dev/full (ENOSPC on write)
    Files.createSymbolicLink(run.resolve("checkpoints/.checkpoint-000000020.zip.tmp"), Path.of("/dev/full"));
    TrainingRun b = new TrainingRun(config(run, 20), data, p.g, p.d);
    b.resume();
    assertThatThrownBy(b::run).isInstanceOf(io.gancluster.core.checkpoint.CheckpointException.class)
        .hasMessageContaining("checkpoint-000000020.zip").hasMessageContaining("No space left on device");
    assertThat(Files.readAllBytes(good)).as("the last good checkpoint").isEqualTo(before);
    assertThat(run.resolve("checkpoints/checkpoint-000000020.zip")).doesNotExist();
    Peers fresh = new Peers();
    assertThat(new TrainingRun(config(run, 20), data, fresh.g, fresh.d).resume()).isEqualTo(10);
  }

  @Test
  void keepsOnlyTheNewestKCheckpoints() throws Exception {
    ImageSet data = DataSources.load("mnist");
    Peers p = new Peers();
    RunConfig keepTwo = new RunConfig(PRESET.name(), "mnist", SEED, tmp.resolve("k"), 40, 0, 1,
        io.gancluster.core.model.recipe.PresetOverrides.NONE, 2);
    TrainingRun a = new TrainingRun(keepTwo, data, p.g, p.d);
    a.resume();
    a.run();
    try (var files = Files.list(tmp.resolve("k/checkpoints"))) {
      assertThat(files.map(f -> f.getFileName().toString()).sorted())
          .containsExactly("checkpoint-000000030.zip", "checkpoint-000000040.zip");
    }
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
    final GeneratorPeer g = new LocalGeneratorPeer(PRESET, SEED, DataType.FLOAT);
    final DiscriminatorPeer d = new LocalDiscriminatorPeer(PRESET, SEED, DataType.FLOAT);
  }
}
