package io.gancluster.trainer.run;

import io.gancluster.client.peer.DiscriminatorPeer;
import io.gancluster.client.peer.GeneratorPeer;
import io.gancluster.core.checkpoint.CheckpointStore;
import io.gancluster.core.data.DataSources;
import io.gancluster.core.data.ImageSet;
import io.gancluster.core.model.recipe.Preset;
import io.gancluster.trainer.schedule.AdversarialSchedule;
import io.gancluster.trainer.schedule.Batches;
import io.gancluster.trainer.schedule.StepReport;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the schedule for one run folder: resumes from its newest checkpoint, steps until the step
 * limit, the time budget or a stop request, and tells its listeners as it goes. A checkpoint is only
 * written between complete steps, so G and D always match. {@link RunCheckpoints} writes and restores
 * checkpoints, {@link PeerRestartRecovery} and {@link NonFiniteSteps} decide what a failed or NaN step
 * does, and {@link ModelVersionPublisher} and {@link RunPictures} keep the served model and the pictures current.
 */
public final class TrainingRun {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);

  private final RunConfig config;
  private final Preset preset;
  private final long maxSteps;
  private final RunFolder folder;
  private final AdversarialSchedule schedule;
  private final RunCheckpoints checkpoints;
  private final PeerRestartRecovery recovery;
  private final NonFiniteSteps nonFinite = new NonFiniteSteps();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final List<ArtifactListener> artifacts;
  private volatile boolean stopRequested;
  private volatile long step;

  public TrainingRun(RunConfig config, ImageSet data, GeneratorPeer generator, DiscriminatorPeer discriminator) {
    this.config = config;
    this.preset = config.resolvedPreset();
    this.folder = new RunFolder(config.runDir(), config.keepCheckpoints());
    int classes = preset.model().classes();
    if (classes > 0 && data.classCount() > classes) {
      throw new IllegalArgumentException("data set " + data.name() + " has " + data.classCount() + " classes but preset "
          + preset.name() + " is conditioned on " + classes);
    }
    List<String> labelNames = classes > 0 ? DataSources.labelNames(config.data(), classes) : List.of();
    Batches batches = new Batches(data, preset.batchSize(), config.seed());
    this.maxSteps = preset.steps(data.count());
    this.schedule = new AdversarialSchedule(generator, discriminator, batches, config.seed(), preset);
    this.checkpoints = new RunCheckpoints(config, preset, maxSteps, labelNames, generator, discriminator, folder,
        schedule);
    this.recovery = new PeerRestartRecovery(generator, discriminator, schedule, checkpoints);
    listeners.add(new ModelVersionPublisher(generator, labelNames));
    this.artifacts = List.of(new RunPictures(generator, preset, config.seed(), folder,
        (gridStep, file) -> listeners.forEach(l -> l.onGrid(gridStep, file))));
  }

  public TrainingRun addListener(Listener listener) {
    listeners.add(listener);
    return this;
  }

  public TrainingRun onNonFinite(NonFinitePolicy policy) {
    nonFinite.policy(policy);
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
    return checkpoints.last();
  }

  public RunFolder folder() {
    return folder;
  }

  /** Steps whose loss or gradients were NaN/Inf so far (in this process). */
  public long nonFiniteSteps() {
    return nonFinite.count();
  }

  /** How often this run went back to a checkpoint because a peer restarted. */
  public int rewinds() {
    return recovery.rewinds();
  }

  /** Asks the loop to stop after the current step; it then writes a checkpoint. */
  public void requestStop() {
    stopRequested = true;
  }

  /** Loads the newest usable checkpoint of the run folder into both services; returns the step. */
  public long resume() {
    Optional<CheckpointStore.Loaded> newest = checkpoints.newestToResume();
    if (newest.isEmpty()) {
      checkpoints.startFromInitialWeights();
      step = 0;
      checkpoint(); // step 0 on disk: a peer or trainer that dies before the first interval can be rewound to it
      return step;
    }
    long resumed = checkpoints.restore(newest.get());
    Path file = checkpoints.last();
    LOG.info("resumed from {} at step {}", file, resumed);
    listeners.forEach(l -> l.onCheckpoint(resumed, file, checkpoints.version(file)));
    return step = resumed;
  }

  /** Steps until done; returns why it stopped. */
  public Outcome run() {
    long started = System.nanoTime();
    double budgetSeconds = config.maxMinutes() * 60;
    artifacts.forEach(a -> a.onLoopStart(step));
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
        if (recovery.mayRewindAfterFailedStep()) {
          rewind(e);
          continue;
        }
        throw e;
      }
      recovery.stepTaken();
      step = r.step();
      Optional<Outcome> diverged = nonFinite.judge(r, checkpoints.last());
      if (diverged.isPresent()) {
        return diverged.get(); // no checkpoint of this state: the previous one stays the newest
      }
      folder.appendLoss(r);
      listeners.forEach(l -> l.onStep(r, maxSteps, preset.batchSize() * preset.criticSteps()));
      int finished = schedule.epochOf(step - 1);
      boolean epochEnded = schedule.epochOf(step) > finished;
      if (epochEnded) {
        listeners.forEach(l -> l.onEpochEnd(finished + 1, step));
      }
      artifacts.forEach(a -> a.afterStep(step, epochEnded));
      if (step % preset.checkpointEvery() == 0) {
        try {
          checkpoint();
        } catch (StaleStateException e) {
          if (recovery.mayRewind()) {
            rewind(e);
            continue;
          }
          throw e;
        }
      }
    }
    return finish(Outcome.Reason.COMPLETED, "reached " + step + " steps");
  }

  /** Exports both networks and writes one atomic checkpoint file. */
  public Path checkpoint() {
    RunCheckpoints.PeerStates states = checkpoints.export();
    recovery.requireInStep(states);
    Path file = checkpoints.write(step, epoch(), states);
    LOG.info("checkpoint {}", file);
    listeners.forEach(l -> l.onCheckpoint(step, file, checkpoints.version(file)));
    artifacts.forEach(a -> a.afterCheckpoint(step));
    return file;
  }

  /**
   * Offers the weights the peers hold now, just scored {@code score} by an evaluation of {@code evaluatedStep},
   * as the run's best checkpoint: when they beat the best so far they are written as {@code checkpoints/best.zip}
   * (atomically; never rotated away). Called on the training thread between steps, e.g. by the run's evaluation.
   *
   * @return whether they became the best
   */
  public boolean offerBest(long evaluatedStep, EvaluationScore score) {
    if (evaluatedStep != step) {
      LOG.warn("not keeping the evaluation of step {} as best: the networks are at step {} now", evaluatedStep, step);
      return false;
    }
    if (!checkpoints.beatsBest(score)) {
      LOG.info("evaluation at step {} ({}) does not beat the best checkpoint, step {} ({})", step, score,
          checkpoints.bestStep(), checkpoints.bestScore());
      return false;
    }
    RunCheckpoints.PeerStates states = checkpoints.export();
    recovery.requireInStep(states);
    long previous = checkpoints.bestStep();
    EvaluationScore previousScore = checkpoints.bestScore();
    Path file = checkpoints.writeBest(step, epoch(), score, states);
    LOG.info("best checkpoint {}: step {} ({}){}", file, step, score,
        previous < 0 ? "" : ", better than step " + previous + " (" + previousScore + ")");
    return true;
  }

  /** The step of the best checkpoint so far; -1 if there is none. */
  public long bestStep() {
    return checkpoints.bestStep();
  }

  /** The best checkpoint's score so far; null if there is none. */
  public EvaluationScore bestScore() {
    return checkpoints.bestScore();
  }

  /**
   * After the run: puts the best checkpoint's generator into the generator service, so whatever samples from it
   * (a gateway) serves the best weights rather than the last ones; with no best checkpoint nothing changes.
   * Training again resumes from the newest checkpoint as always.
   *
   * @return a line saying which step is served and why
   */
  public String serveBest() {
    Optional<CheckpointStore.Loaded> best = checkpoints.serveBest();
    Path last = checkpoints.last();
    String latest = last == null ? "none" : checkpoints.version(last) + " (step " + checkpoints.lastStep() + ")";
    if (best.isEmpty()) {
      return "serving the latest weights, " + latest + ": the run has no best checkpoint (no in-run evaluation)";
    }
    EvaluationScore score = EvaluationScore.fromConfig(best.get().checkpoint().config());
    return "serving " + checkpoints.version(best.get()) + " (step " + best.get().checkpoint().step()
        + "): the best in-run evaluation, " + score + " (lowest FD); the latest checkpoint is " + latest;
  }

  private void rewind(RuntimeException cause) {
    step = recovery.rewind(cause, step);
    Path file = checkpoints.last();
    listeners.forEach(l -> l.onRewind(step, file, checkpoints.version(file)));
  }

  private Outcome finish(Outcome.Reason reason, String message) {
    listeners.forEach(l -> l.onRunEnd(epoch() + 1, step));
    boolean checkpointed = checkpoints.lastStep() == step;
    artifacts.forEach(a -> a.onRunEnd(step, checkpointed));
    if (!checkpointed) {
      checkpoint(); // after the last grid, so the animation ends on it
    }
    return new Outcome(reason, message, step);
  }

  /** What a NaN/Inf loss or gradient does to the run. */
  public enum NonFinitePolicy { STOP, SKIP }

  /** Receives progress; called on the training thread. */
  public interface Listener {
    void onStep(StepReport report, long maxSteps, int batchSize);

    default void onGrid(long step, Path file) {}

    /** The step that completed epoch {@code epoch} (1-based) has just been taken. */
    default void onEpochEnd(int epoch, long step) {}

    /** A checkpoint of {@code step} is on disk as {@code file} (also the one a resume started from). */
    default void onCheckpoint(long step, Path file, String version) {}

    /** A peer restarted: both networks went back to the checkpoint {@code file} of {@code step}. */
    default void onRewind(long step, Path file, String version) {}

    /** The run stops at {@code step}, in epoch {@code epoch} (1-based), before its last grid and checkpoint. */
    default void onRunEnd(int epoch, long step) {}
  }

  /** Why a run stopped. */
  public record Outcome(Reason reason, String message, long step) {
    /** The kinds of ending. */
    public enum Reason { COMPLETED, STOPPED, TIME_BUDGET, FAILED }
  }
}
