package io.gancluster.trainer.run;

import io.gancluster.client.peer.DiscriminatorPeer;
import io.gancluster.client.peer.GeneratorPeer;
import io.gancluster.core.checkpoint.Checkpoint;
import io.gancluster.core.checkpoint.CheckpointRecipe;
import io.gancluster.core.checkpoint.CheckpointStore;
import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.nn.AdamOptimizer;
import io.gancluster.core.nn.NetworkState;
import io.gancluster.trainer.schedule.AdversarialSchedule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
 * belong to this run. Also keeps the run's best checkpoint by its in-run evaluation ({@link EvaluationScore}):
 * the score travels inside that checkpoint, so a resumed run knows the best to beat.
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
  private EvaluationScore bestScore;
  private long bestStep = -1;

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
      loadBest();
    }
    return newest;
  }

  /** The best score so far comes from the best checkpoint on disk, when it is this run's. */
  private void loadBest() {
    Optional<CheckpointStore.Loaded> best = store.best();
    if (best.isEmpty()) {
      return;
    }
    EvaluationScore score = EvaluationScore.fromConfig(best.get().checkpoint().config());
    String foreign = identityMismatch(best.get());
    if (score == null || foreign != null) {
      LOG.warn("{} is not this run's best ({}); the next evaluation replaces it", best.get().file(),
          score == null ? "it carries no score" : foreign);
      return;
    }
    bestScore = score;
    bestStep = best.get().checkpoint().step();
    LOG.info("best checkpoint so far: step {} ({})", bestStep, bestScore);
  }

  /** The best score so far; null before the first evaluation. */
  EvaluationScore bestScore() {
    return bestScore;
  }

  /** The step of the best checkpoint; -1 if none. */
  long bestStep() {
    return bestStep;
  }

  /** Whether a checkpoint scoring {@code score} would replace the best one. */
  boolean beatsBest(EvaluationScore score) {
    return score.betterThan(bestScore);
  }

  /** Writes {@code states} of {@code step} as the best checkpoint, atomically, with its score inside. */
  Path writeBest(long step, int epoch, EvaluationScore score, PeerStates states) {
    Map<String, String> cfg = runConfig();
    cfg.putAll(score.toConfig());
    Path file = store.writeBest(new Checkpoint(step, epoch, config.seed(), cfg, states.generator(),
        states.discriminator()));
    bestScore = score;
    bestStep = step;
    return file;
  }

  /**
   * Puts the best checkpoint's generator into the generator peer and publishes it as the served model version
   * (after the run: whoever samples from that service then gets it); empty, changing nothing, when there is none.
   */
  Optional<CheckpointStore.Loaded> serveBest() {
    Optional<CheckpointStore.Loaded> best = store.best().filter(b -> identityMismatch(b) == null);
    best.ifPresent(b -> {
      generator.importState(b.checkpoint().generatorState());
      generator.publishModel(version(b), labelNames);
    });
    return best;
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
    Path oldBest = store.bestFile();
    try {
      if (Files.deleteIfExists(oldBest)) {
        LOG.info("removed {}: it belonged to an earlier run in this folder", oldBest);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the earlier run's " + oldBest, e);
    }
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
    last = store.write(new Checkpoint(step, epoch, config.seed(), runConfig(), states.generator(),
        states.discriminator()));
    lastStep = step;
    return last;
  }

  /** What every checkpoint of this run records besides the states. */
  private Map<String, String> runConfig() {
    Map<String, String> cfg = new HashMap<>(config.identity());
    cfg.put("max_steps", Long.toString(maxSteps));
    cfg.put("label_names", String.join(", ", labelNames));
    CheckpointRecipe.record(preset, cfg); // serving replicas rebuild G from the checkpoint alone
    return cfg;
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

  /** A loaded checkpoint's id; the best one names its step ("demo/best-000001540"). */
  String version(CheckpointStore.Loaded loaded) {
    Path run = config.runDir().getFileName();
    return CheckpointStore.version(run == null ? config.runDir().toString() : run.toString(), loaded.file(),
        loaded.checkpoint().step());
  }

  /** What differs between a checkpoint's identity and this run's; null if nothing does. */
  private String identityMismatch(CheckpointStore.Loaded c) {
    for (Map.Entry<String, String> e : config.identity().entrySet()) {
      String saved = c.checkpoint().config().get(e.getKey());
      if (!e.getValue().equals(saved)) {
        return e.getKey() + "=" + saved + ", not " + e.getValue();
      }
    }
    return null;
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
