package io.gancluster.trainer.run;

import io.gancluster.core.checkpoint.Checkpoint;
import io.gancluster.core.nn.NetworkState;
import io.gancluster.core.checkpoint.CheckpointStore;
import io.gancluster.core.data.DataSources;
import io.gancluster.core.data.ImageSet;
import io.gancluster.core.image.ImageGrid;
import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.random.Seeds;
import io.gancluster.client.peer.DiscriminatorPeer;
import io.gancluster.client.peer.GeneratorPeer;
import io.gancluster.trainer.schedule.AdversarialSchedule;
import io.gancluster.trainer.schedule.Batches;
import io.gancluster.trainer.schedule.StepReport;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the schedule for one run folder: resumes from its newest checkpoint, steps until the step
 * limit, the time budget or a stop request, and meanwhile writes losses, sample grids and periodic
 * checkpoints. A checkpoint is only written between complete steps, so G and D always match.
 */
public final class TrainingRun {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);
  public static final int GRID_SIZE = 64;

  private final RunConfig config;
  private final Preset preset;
  private final long maxSteps;
  private final java.util.List<String> labelNames;
  private final GeneratorPeer generator;
  private final DiscriminatorPeer discriminator;
  private final RunFolder folder;
  private final CheckpointStore store;
  private final Batches batches;
  private final AdversarialSchedule schedule;
  private final java.util.List<Listener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean stopRequested;
  private volatile long step;
  private volatile Path lastCheckpoint;
  private long lastCheckpointStep = -1;
  private long lastGridStep = -1;
  /** A peer that keeps dying should stop the run, not rewind it forever. */
  static final int MAX_REWINDS_IN_A_ROW = 5;
  private int rewindsInARow;
  private int rewinds;
  /** Under SKIP, this many NaN/Inf steps in a row mean divergence, not a glitch. */
  static final int MAX_NON_FINITE_IN_A_ROW = 20;
  private NonFinitePolicy nonFinitePolicy = NonFinitePolicy.STOP;
  private long nonFiniteSteps;
  private int nonFiniteInARow;

  public TrainingRun(RunConfig config, ImageSet data, GeneratorPeer generator, DiscriminatorPeer discriminator) {
    this.config = config;
    this.preset = config.resolvedPreset();
    this.generator = generator;
    this.discriminator = discriminator;
    this.folder = new RunFolder(config.runDir(), config.keepCheckpoints());
    this.store = folder.checkpoints();
    int classes = preset.model().classes();
    if (classes > 0 && data.classCount() > classes) {
      throw new IllegalArgumentException("data set " + data.name() + " has " + data.classCount() + " classes but preset "
          + preset.name() + " is conditioned on " + classes);
    }
    this.labelNames = classes > 0 ? DataSources.labelNames(config.data(), classes) : java.util.List.of();
    this.batches = new Batches(data, preset.batchSize(), config.seed());
    this.maxSteps = preset.steps(data.count());
    this.schedule = new AdversarialSchedule(generator, discriminator, batches, config.seed(), preset);
  }

  public TrainingRun addListener(Listener listener) {
    listeners.add(listener);
    return this;
  }

  public RunConfig config() {
    return config;
  }

  public long step() {
    return step;
  }

  public long maxSteps() {
    return maxSteps;
  }

  public Preset preset() {
    return preset;
  }

  public int epoch() {
    return schedule.epochOf(Math.max(0, step - 1));
  }

  public Path lastCheckpoint() {
    return lastCheckpoint;
  }

  public RunFolder folder() {
    return folder;
  }

  /** Asks the loop to stop after the current step; it then writes a checkpoint. */
  public void requestStop() {
    stopRequested = true;
  }

  /** Loads the newest usable checkpoint of the run folder into both services; returns the step. */
  public long resume() {
    requireRecipe(generator.describe(), generator.recipe(), preset.generatorRecipe());
    requireRecipe(discriminator.describe(), discriminator.recipe(), preset.discriminatorRecipe());
    LOG.info("{} computes on {}", generator.describe(), generator.compute());
    LOG.info("{} computes on {}", discriminator.describe(), discriminator.compute());
    Optional<CheckpointStore.Loaded> latest = store.latest();
    if (latest.isEmpty()) {
      requireFresh(generator.describe(), generator.updates());
      requireFresh(discriminator.describe(), discriminator.updates());
      schedule.expectUpdates(0, 0);
      folder.prepareLosses(0);
      step = 0;
      checkpoint(); // step 0 on disk: a peer or trainer that dies before the first interval can be rewound to it
      return step;
    }
    Checkpoint c = latest.get().checkpoint();
    for (Map.Entry<String, String> e : config.identity().entrySet()) {
      String saved = c.config().get(e.getKey());
      if (saved == null) {
        throw new IllegalStateException(latest.get().file() + " was written by an older version that did not record "
            + e.getKey() + "; use another run folder");
      }
      if (!e.getValue().equals(saved)) {
        throw new IllegalStateException(latest.get().file() + " belongs to a run with " + e.getKey() + "="
            + saved + ", not " + e.getValue() + "; use another run folder or the same settings");
      }
    }
    long gUpdates = generator.importState(c.generatorState());
    long dUpdates = discriminator.importState(c.discriminatorState());
    schedule.expectUpdates(gUpdates, dUpdates);
    folder.prepareLosses(c.step());
    lastCheckpoint = latest.get().file();
    lastCheckpointStep = c.step();
    generator.publishModel(version(lastCheckpoint), labelNames);
    LOG.info("resumed from {} at step {}", lastCheckpoint, c.step());
    Path resumedFrom = lastCheckpoint;
    listeners.forEach(l -> l.onCheckpoint(c.step(), resumedFrom, version(resumedFrom)));
    return step = c.step();
  }

  /** A checkpoint id: run folder and file name ("runs/demo/checkpoint-000001600"), or the initial weights. */
  private String version(Path checkpoint) {
    Path run = config.runDir().getFileName();
    String dir = run == null ? config.runDir().toString() : run.toString();
    if (checkpoint == null) {
      return dir + "/initial";
    }
    String file = checkpoint.getFileName().toString();
    return dir + "/" + (file.endsWith(".zip") ? file.substring(0, file.length() - 4) : file);
  }

  /** Each service builds its network and optimizer from its own options: they must be this run's. */
  private static void requireRecipe(String peer, String actual, String expected) {
    if (!expected.equals(actual)) {
      throw new IllegalStateException(peer + " is configured as [" + actual + "] but this run needs [" + expected
          + "]: start it with the same --preset and options as the trainer");
    }
  }

  /**
   * Whether a peer's update count is not what this run last saw: it restarted (fresh weights) or
   * someone else changed it. Asked after a failed step; the peers are reached with the usual retries.
   */
  private boolean peerRestarted() {
    try {
      long g = generator.updates();
      long d = discriminator.updates();
      return g != schedule.expectedGeneratorUpdates() || d != schedule.expectedDiscriminatorUpdates();
    } catch (RuntimeException unreachable) {
      return false; // still down after the retries: the step's own error says so
    }
  }

  /**
   * Puts both networks back to the newest checkpoint (the restarted peer gets its state from it, the
   * other one loses any half-applied step) and continues from that checkpoint's step: both networks
   * are always at the same step.
   */
  private void rewind(RuntimeException cause) {
    rewindsInARow++;
    CheckpointStore.Loaded latest = store.latest().orElseThrow(() -> new IllegalStateException(
        "a peer restarted and " + store.directory() + " holds no readable checkpoint to rewind to", cause));
    Checkpoint c = latest.checkpoint();
    LOG.warn("a peer restarted during step {} ({}): reloading both networks from {} and continuing from step {}",
        step + 1, cause.getMessage(), latest.file(), c.step());
    long gUpdates = generator.importState(c.generatorState());
    long dUpdates = discriminator.importState(c.discriminatorState());
    schedule.expectUpdates(gUpdates, dUpdates);
    folder.prepareLosses(c.step());
    step = c.step();
    lastCheckpoint = latest.file();
    lastCheckpointStep = c.step();
    generator.publishModel(version(lastCheckpoint), labelNames);
    rewinds++;
  }

  /**
   * A step whose loss or gradients were NaN/Inf. The services have already refused to apply those
   * updates (the parameters are unchanged and finite); STOP ends the run here, SKIP goes on unless it
   * keeps happening.
   */
  private Outcome onNonFinite(StepReport r) {
    nonFiniteSteps++;
    nonFiniteInARow++;
    String what = "non-finite loss or gradient at step " + step + " (D loss " + r.dLoss() + ", G loss " + r.gLoss()
        + "; " + r.skippedUpdates() + " update(s) not applied)";
    if (nonFinitePolicy == NonFinitePolicy.STOP) {
      return new Outcome(Outcome.Reason.FAILED, what + "; stopped (--on-non-finite stop); last good checkpoint: "
          + lastCheckpoint, step);
    }
    if (nonFiniteInARow >= MAX_NON_FINITE_IN_A_ROW) {
      return new Outcome(Outcome.Reason.FAILED, what + "; " + nonFiniteInARow + " steps in a row: the run diverged; "
          + "last good checkpoint: " + lastCheckpoint, step);
    }
    LOG.warn("{}: step skipped (--on-non-finite skip; {} so far)", what, nonFiniteSteps);
    return null;
  }

  /** What a NaN/Inf loss or gradient does to the run. */
  public enum NonFinitePolicy { STOP, SKIP }

  public TrainingRun onNonFinite(NonFinitePolicy policy) {
    this.nonFinitePolicy = policy;
    return this;
  }

  /** Steps whose loss or gradients were NaN/Inf so far (in this process). */
  public long nonFiniteSteps() {
    return nonFiniteSteps;
  }

  /** How often this run went back to a checkpoint because a peer restarted. */
  public int rewinds() {
    return rewinds;
  }

  /** A new run starts from initial weights: a peer that already trained belongs to another run. */
  private void requireFresh(String peer, long updates) {
    if (updates != 0) {
      throw new IllegalStateException(peer + " has already taken " + updates + " optimizer updates, but "
          + config.runDir() + " has no checkpoint: a new run needs freshly started services (or resume the run "
          + "folder those services belong to)");
    }
  }

  /** Steps until done; returns why it stopped. */
  public Outcome run() {
    long started = System.nanoTime();
    double budgetSeconds = config.maxMinutes() * 60;
    if (step == 0) {
      writeGrid();
    }
    while (step < maxSteps) {
      if (stopRequested) {
        return finish(Outcome.Reason.STOPPED, "stopped on request at step " + step);
      }
      if (budgetSeconds > 0 && (System.nanoTime() - started) / 1e9 > budgetSeconds) {
        return finish(Outcome.Reason.TIME_BUDGET, String.format("time budget of %.1f min reached at step %d/%d; "
            + "run the same command again to continue", config.maxMinutes(), step, maxSteps));
      }
      StepReport r;
      try {
        r = schedule.step(step);
      } catch (RuntimeException e) {
        if (rewindsInARow < MAX_REWINDS_IN_A_ROW && peerRestarted()) {
          rewind(e);
          continue;
        }
        throw e;
      }
      rewindsInARow = 0;
      step = r.step();
      if (!r.finite() || r.skippedUpdates() > 0) {
        Outcome stop = onNonFinite(r);
        if (stop != null) {
          return stop; // no checkpoint of this state: the previous one stays the newest
        }
      } else {
        nonFiniteInARow = 0;
      }
      folder.appendLoss(r);
      listeners.forEach(l -> l.onStep(r, maxSteps, preset.batchSize() * preset.criticSteps()));
      int finished = schedule.epochOf(step - 1);
      boolean epochEnded = schedule.epochOf(step) > finished;
      if (epochEnded) {
        listeners.forEach(l -> l.onEpochEnd(finished + 1, step));
      }
      if (step % preset.sampleEvery() == 0 || epochEnded) { // a fixed-z grid every N steps and every epoch
        writeGrid();
      }
      if (step % preset.checkpointEvery() == 0) {
        try {
          checkpoint();
        } catch (StaleStateException e) {
          if (rewindsInARow < MAX_REWINDS_IN_A_ROW) {
            rewind(e);
            continue;
          }
          throw e;
        }
      }
    }
    return finish(Outcome.Reason.COMPLETED, "reached " + step + " steps");
  }

  private Outcome finish(Outcome.Reason reason, String message) {
    listeners.forEach(l -> l.onRunEnd(schedule.epochOf(Math.max(0, step - 1)) + 1, step));
    if (lastGridStep != step) {
      writeGrid();
    }
    if (lastCheckpointStep != step) {
      checkpoint(); // after the last grid, so the animation ends on it
    } else {
      refreshPlots(true);
    }
    return new Outcome(reason, message, step);
  }

  private static void requireInStep(String peer, long exported, long expected) {
    if (exported != expected) {
      throw new StaleStateException(peer + " exported its state at " + exported + " optimizer updates, expected "
          + expected + ": it restarted; not writing that as a checkpoint");
    }
  }

  /** A peer's exported state is not at this run's step: it restarted between its last step and the export. */
  public static final class StaleStateException extends IllegalStateException {
    StaleStateException(String message) {
      super(message);
    }
  }

  /** A network state with a NaN or Inf anywhere never goes into a checkpoint. */
  private static byte[] requireFinite(String peer, byte[] state) {
    for (Map.Entry<String, org.nd4j.linalg.api.ndarray.INDArray> e : io.gancluster.core.nn.NetworkState.parameters(state)
        .entrySet()) {
      if (!io.gancluster.core.nn.AdamOptimizer.finite(e.getValue())) {
        throw new IllegalStateException("refusing to write a checkpoint: " + peer + " holds NaN/Inf in " + e.getKey());
      }
    }
    return state;
  }

  /** Exports both networks and writes one atomic checkpoint file. */
  public Path checkpoint() {
    Map<String, String> cfg = new HashMap<>(config.identity());
    cfg.put("max_steps", Long.toString(maxSteps));
    cfg.put("label_names", String.join(", ", labelNames));
    cfg.put("latent", preset.model().latent().cliName()); // serving replicas rebuild G from the checkpoint alone
    byte[] g = requireFinite(generator.describe(), generator.exportState());
    byte[] d = requireFinite(discriminator.describe(), discriminator.exportState());
    // a peer that restarted since its last step (e.g. while we waited for its export) exports fresh
    // weights: such a state must never become a checkpoint
    requireInStep(generator.describe(), NetworkState.updates(g), schedule.expectedGeneratorUpdates());
    requireInStep(discriminator.describe(), NetworkState.updates(d), schedule.expectedDiscriminatorUpdates());
    Checkpoint c = new Checkpoint(step, epoch(), config.seed(), cfg, g, d);
    lastCheckpoint = store.write(c);
    lastCheckpointStep = step;
    generator.publishModel(version(lastCheckpoint), labelNames);
    LOG.info("checkpoint {}", lastCheckpoint);
    Path written = lastCheckpoint;
    listeners.forEach(l -> l.onCheckpoint(step, written, version(written)));
    refreshPlots(true);
    return lastCheckpoint;
  }

  private void writeGrid() {
    long fixedSeed = Seeds.derive(config.seed(), "fixed-grid");
    int classes = preset.model().classes();
    byte[] png;
    if (classes > 0) { // one row of 8 per class
      int[] labels = new int[classes * 8];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = i / 8;
      }
      png = ImageGrid.png(generator.sample(labels.length, fixedSeed, labels), 8, 2);
    } else {
      png = ImageGrid.png(generator.sample(GRID_SIZE, fixedSeed, null), 8, 2);
    }
    Path file = folder.writeGrid(step, png);
    lastGridStep = step;
    refreshPlots(false);
    listeners.forEach(l -> l.onGrid(step, file));
  }

  private void refreshPlots(boolean animation) {
    try {
      folder.refreshPlots(animation);
    } catch (RuntimeException e) {
      LOG.warn("could not redraw the plots: {}", e.getMessage()); // pictures never stop a run
    }
  }

  /** Receives progress; called on the training thread. */
  public interface Listener {
    void onStep(StepReport report, long maxSteps, int batchSize);

    default void onGrid(long step, Path file) {}

    /** The step that completed epoch {@code epoch} (1-based) has just been taken. */
    default void onEpochEnd(int epoch, long step) {}

    /** A checkpoint of {@code step} is on disk as {@code file} (also the one a resume started from). */
    default void onCheckpoint(long step, Path file, String version) {}

    /** The run stops at {@code step}, in epoch {@code epoch} (1-based), before its last grid and checkpoint. */
    default void onRunEnd(int epoch, long step) {}
  }

  /** Why a run stopped. */
  public record Outcome(Reason reason, String message, long step) {
    /** The kinds of ending. */
    public enum Reason { COMPLETED, STOPPED, TIME_BUDGET, FAILED }
  }
}
