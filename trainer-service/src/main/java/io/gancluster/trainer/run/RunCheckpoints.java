package io.gancluster.trainer.run;

import io.gancluster.client.peer.DiscriminatorPeer;
import io.gancluster.client.peer.GeneratorPeer;
import io.gancluster.core.checkpoint.Checkpoint;
import io.gancluster.core.checkpoint.CheckpointStore;
import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.nn.AdamOptimizer;
import io.gancluster.core.nn.NetworkState;
import io.gancluster.trainer.schedule.AdversarialSchedule;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoints of one run: assembles one from both peers' states, and puts one back into both peers
 * (the same restore for a resume and for a rewind), after checking that the peers and the checkpoint
 * belong to this run.
 */
final class RunCheckpoints {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class); // one logger for the whole run

  private final RunConfig config;
  private final Preset preset;
  private final long maxSteps;
  private final List<String> labelNames;
  private final GeneratorPeer generator;
  private final DiscriminatorPeer discriminator;
  private final RunFolder folder;
  private final CheckpointStore store;
  private final AdversarialSchedule schedule;
  private volatile Path last;
  private long lastStep = -1;

  RunCheckpoints(RunConfig config, Preset preset, long maxSteps, List<String> labelNames, GeneratorPeer generator,
      DiscriminatorPeer discriminator, RunFolder folder, AdversarialSchedule schedule) {
    this.config = config;
    this.preset = preset;
    this.maxSteps = maxSteps;
    this.labelNames = labelNames;
    this.generator = generator;
    this.discriminator = discriminator;
    this.folder = folder;
    this.store = folder.checkpoints();
    this.schedule = schedule;
  }

  /** Both networks' states as exported for one checkpoint. */
  record PeerStates(byte[] generator, byte[] discriminator) {}

  /** The newest checkpoint written or restored; null before the first. */
  Path last() {
    return last;
  }

  long lastStep() {
    return lastStep;
  }

  /**
   * The checkpoint to resume from: the newest readable one, which must be of this run; empty for a new
   * run, whose peers must not have trained yet. Either way the peers must be built from this run's recipe.
   */
  Optional<CheckpointStore.Loaded> newestToResume() {
    requireRecipe(generator.describe(), generator.recipe(), preset.generatorRecipe());
    requireRecipe(discriminator.describe(), discriminator.recipe(), preset.discriminatorRecipe());
    LOG.info("{} computes on {}", generator.describe(), generator.compute());
    LOG.info("{} computes on {}", discriminator.describe(), discriminator.compute());
    Optional<CheckpointStore.Loaded> newest = store.latest();
    if (newest.isEmpty()) {
      requireFresh(generator.describe(), generator.updates());
      requireFresh(discriminator.describe(), discriminator.updates());
    } else {
      requireSameIdentity(newest.get());
    }
    return newest;
  }

  /** The newest readable checkpoint, to rewind to. */
  Optional<CheckpointStore.Loaded> newest() {
    return store.latest();
  }

  Path directory() {
    return store.directory();
  }

  /** A new run starts from the peers' initial weights and an empty loss log. */
  void startFromInitialWeights() {
    schedule.expectUpdates(0, 0);
    folder.prepareLosses(0);
  }

  /** Loads a checkpoint into both peers and cuts the loss log back to its step; returns that step. */
  long restore(CheckpointStore.Loaded loaded) {
    Checkpoint c = loaded.checkpoint();
    long gUpdates = generator.importState(c.generatorState());
    long dUpdates = discriminator.importState(c.discriminatorState());
    schedule.expectUpdates(gUpdates, dUpdates);
    folder.prepareLosses(c.step());
    last = loaded.file();
    lastStep = c.step();
    return c.step();
  }

  /** Exports both networks; a state with a NaN or Inf anywhere never goes into a checkpoint. */
  PeerStates export() {
    byte[] g = requireFinite(generator.describe(), generator.exportState());
    byte[] d = requireFinite(discriminator.describe(), discriminator.exportState());
    return new PeerStates(g, d);
  }

  /** Writes one atomic checkpoint file of {@code step}; returns it. */
  Path write(long step, int epoch, PeerStates states) {
    Map<String, String> cfg = new HashMap<>(config.identity());
    cfg.put("max_steps", Long.toString(maxSteps));
    cfg.put("label_names", String.join(", ", labelNames));
    cfg.put("latent", preset.model().latent().cliName()); // serving replicas rebuild G from the checkpoint alone
    last = store.write(new Checkpoint(step, epoch, config.seed(), cfg, states.generator(), states.discriminator()));
    lastStep = step;
    return last;
  }

  /** A checkpoint id: run folder and file name ("runs/demo/checkpoint-000001600"), or the initial weights. */
  String version(Path checkpoint) {
    Path run = config.runDir().getFileName();
    String dir = run == null ? config.runDir().toString() : run.toString();
    if (checkpoint == null) {
      return dir + "/initial";
    }
    String file = checkpoint.getFileName().toString();
    return dir + "/" + (file.endsWith(".zip") ? file.substring(0, file.length() - 4) : file);
  }

  private void requireSameIdentity(CheckpointStore.Loaded newest) {
    for (Map.Entry<String, String> e : config.identity().entrySet()) {
      String saved = newest.checkpoint().config().get(e.getKey());
      if (saved == null) {
        throw new IllegalStateException(newest.file() + " was written by an older version that did not record "
            + e.getKey() + "; use another run folder");
      }
      if (!e.getValue().equals(saved)) {
        throw new IllegalStateException(newest.file() + " belongs to a run with " + e.getKey() + "="
            + saved + ", not " + e.getValue() + "; use another run folder or the same settings");
      }
    }
  }

  /** Each service builds its network and optimizer from its own options: they must be this run's. */
  private static void requireRecipe(String peer, String actual, String expected) {
    if (!expected.equals(actual)) {
      throw new IllegalStateException(peer + " is configured as [" + actual + "] but this run needs [" + expected
          + "]: start it with the same --preset and options as the trainer");
    }
  }

  /** A new run starts from initial weights: a peer that already trained belongs to another run. */
  private void requireFresh(String peer, long updates) {
    if (updates != 0) {
      throw new IllegalStateException(peer + " has already taken " + updates + " optimizer updates, but "
          + config.runDir() + " has no checkpoint: a new run needs freshly started services (or resume the run "
          + "folder those services belong to)");
    }
  }

  private static byte[] requireFinite(String peer, byte[] state) {
    for (Map.Entry<String, INDArray> e : NetworkState.parameters(state).entrySet()) {
      if (!AdamOptimizer.finite(e.getValue())) {
        throw new IllegalStateException("refusing to write a checkpoint: " + peer + " holds NaN/Inf in " + e.getKey());
      }
    }
    return state;
  }
}
