package io.gancluster.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.gancluster.core.checkpoint.CheckpointStore;
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
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Peers that "restart" (are replaced by fresh networks) at the worst moments, in process and
 * deterministic: the generator while its state is being exported for a checkpoint, the discriminator in
 * the middle of a run. The run rewinds to the last good checkpoint each time, never writes the fresh
 * state as a checkpoint, and ends with one update per step on both networks.
 */
class PeerRestartTest {
  static final Preset TINY = Presets.get("tiny");

  @TempDir
  Path tmp;

  @Test
  void aRestartDuringTheCheckpointExportOrMidRunIsRewoundAndNeverCheckpointed() throws Exception {
    ImageSet data = DataSources.load("mnist");
    GeneratorPeer[] g = {new LocalGeneratorPeer(TINY, 4, DataType.FLOAT)};
    DiscriminatorPeer[] d = {new LocalDiscriminatorPeer(TINY, 4, DataType.FLOAT)};
    int[] exports = {0};
    GeneratorPeer flakyG = new ForwardingGenerator(() -> g[0]) {
      @Override
      public byte[] exportState() {
        if (++exports[0] == 3) { // the checkpoint at step 20: the process died and came back with fresh weights
          g[0] = new LocalGeneratorPeer(TINY, 99, DataType.FLOAT);
        }
        return g[0].exportState();
      }
    };
    boolean[] dRestarted = {false};
    DiscriminatorPeer flakyD = new ForwardingDiscriminator(() -> d[0]) {
      @Override
      public DStep trainStep(long stepId, INDArray real, int[] rl, INDArray fake, int[] fl) {
        if (stepId == 25 && !dRestarted[0]) {
          dRestarted[0] = true;
          d[0] = new LocalDiscriminatorPeer(TINY, 98, DataType.FLOAT);
        }
        return d[0].trainStep(stepId, real, rl, fake, fl);
      }
    };
    Path run = tmp.resolve("run");
    TrainingRun r = new TrainingRun(new RunConfig("tiny", "mnist", 4, run, 40, 0, 1), data, flakyG, flakyD);
    r.resume();
    TrainingRun.Outcome o = r.run();

    assertThat(o.reason()).isEqualTo(TrainingRun.Outcome.Reason.COMPLETED);
    assertThat(o.step()).isEqualTo(40);
    assertThat(r.rewinds()).as("one for the stale export, one for the restarted discriminator").isEqualTo(2);
    assertThat(g[0].updates()).isEqualTo(40);
    assertThat(d[0].updates()).isEqualTo(40);
    List<Path> kept = new CheckpointStore(run.resolve("checkpoints"), 9).listNewestFirst();
    assertThat(kept).isNotEmpty();
    for (Path file : kept) {
      var c = CheckpointStore.read(file);
      assertThat(NetworkState.updates(c.generatorState())).as("G in %s", file.getFileName()).isEqualTo(c.step());
      assertThat(NetworkState.updates(c.discriminatorState())).as("D in %s", file.getFileName()).isEqualTo(c.step());
    }
  }
}
