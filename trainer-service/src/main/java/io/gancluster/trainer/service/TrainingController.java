package io.gancluster.trainer.service;

import io.gancluster.core.eval.EvaluationReport;
import io.gancluster.proto.v1.Evaluation;
import io.gancluster.proto.v1.ProgressEvent;
import io.gancluster.proto.v1.TrainingState;
import io.gancluster.proto.v1.TrainingStatus;
import io.gancluster.trainer.eval.RunEvaluation;
import io.gancluster.trainer.run.ConsoleProgress;
import io.gancluster.trainer.run.TrainingRun;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the training thread of one run: start, stop (after the current step, with a checkpoint),
 * status, and a feed of progress events. Plain Java, so the CLI and the gRPC service share it.
 */
public final class TrainingController {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingController.class);

  private final TrainingRun run;
  private final String preset;
  private final List<Consumer<ProgressEvent>> subscribers = new CopyOnWriteArrayList<>();
  private volatile TrainingState state = TrainingState.TRAINING_STATE_IDLE;
  private volatile String message = "";
  private volatile CompletableFuture<TrainingRun.Outcome> done = new CompletableFuture<>();

  /** Controls {@code run}, printing progress every {@code logEvery} steps and feeding subscribers. */
  public TrainingController(TrainingRun run, int logEvery) {
    this.run = run;
    this.preset = run.config().preset();
    run.addListener(new ConsoleProgress(logEvery, LOG::info, run.config().resolvedPreset().objective())
        .forwardTo(this::publish));
  }

  public TrainingRun run() {
    return run;
  }

  /** Adds a listener to the run's steps (e.g. a terminal progress bar); call before start(). */
  public void addListener(TrainingRun.Listener listener) {
    run.addListener(listener);
  }

  public synchronized TrainingStatus start() {
    if (state == TrainingState.TRAINING_STATE_RUNNING || state == TrainingState.TRAINING_STATE_STOPPING) {
      throw new IllegalStateException("training is already running (step " + run.step() + ")");
    }
    done = new CompletableFuture<>();
    state = TrainingState.TRAINING_STATE_RUNNING;
    message = "";
    Thread t = new Thread(this::runToEnd, "training-loop");
    t.setDaemon(true);
    t.start();
    return status();
  }

  private void runToEnd() {
    try {
      run.resume();
      TrainingRun.Outcome outcome = run.run();
      state = outcome.reason() == TrainingRun.Outcome.Reason.FAILED ? TrainingState.TRAINING_STATE_FAILED
          : TrainingState.TRAINING_STATE_FINISHED;
      message = outcome.message();
      LOG.info("training {}: {}", outcome.reason().name().toLowerCase(), outcome.message());
      publishState();
      done.complete(outcome);
    } catch (RuntimeException e) {
      state = TrainingState.TRAINING_STATE_FAILED;
      message = e.getMessage();
      LOG.error("training failed: {} (last good checkpoint: {})", e.getMessage(),
          run.lastCheckpoint() == null ? "none" : run.lastCheckpoint());
      publishState();
      done.complete(new TrainingRun.Outcome(TrainingRun.Outcome.Reason.FAILED, e.getMessage(), run.step()));
    }
  }

  /** Stops after the current step; the run then writes a checkpoint. */
  public synchronized TrainingStatus stop() {
    if (state == TrainingState.TRAINING_STATE_RUNNING) {
      state = TrainingState.TRAINING_STATE_STOPPING;
      run.requestStop();
      publishState();
    }
    return status();
  }

  /** Completes when the training thread has ended (with its checkpoint written). */
  public CompletableFuture<TrainingRun.Outcome> finished() {
    return done;
  }

  public TrainingStatus status() {
    return TrainingStatus.newBuilder().setState(state).setStep(run.step()).setMaxSteps(run.maxSteps())
        .setEpoch(run.epoch() + 1).setRunDir(run.folder().root().toString()).setMessage(message == null ? "" : message)
        .setPreset(preset).setLastCheckpoint(run.lastCheckpoint() == null ? "" : run.lastCheckpoint().toString())
        .build();
  }

  public Runnable subscribe(Consumer<ProgressEvent> subscriber) {
    subscribers.add(subscriber);
    return () -> subscribers.remove(subscriber);
  }

  void publish(ConsoleProgress.ProgressSnapshot s) {
    ProgressEvent e = ProgressEvent.newBuilder().setStep(s.report().step()).setEpoch(s.report().epoch() + 1)
        .setDLoss(s.report().dLoss()).setGLoss(s.report().gLoss()).setRealScore(s.report().realScore())
        .setFakeScore(s.report().fakeScore()).setStepSeconds(s.report().stepSeconds())
        .setImagesPerSecond(s.imagesPerSecond()).setEtaSeconds(s.etaSeconds()).setState(state)
        .setMaxSteps(s.maxSteps()).setWassersteinEstimate(s.report().wassersteinEstimate())
        .setGradientPenalty(s.report().gradientPenalty()).setCriticGradNorm(s.report().criticGradNorm()).build();
    subscribers.forEach(c -> c.accept(e));
  }

  /** Publishes a finished evaluation as its own progress event (the gateway turns it into gauges). */
  public void publishEvaluation(RunEvaluation.Result r) {
    EvaluationReport e = r.report();
    Evaluation ev = Evaluation.newBuilder().setStep(r.step()).setSamples(e.count())
        .setFrechetDistance(e.frechetDistance()).setFrechetDistanceFloor(e.frechetFloor())
        .setClassifierScore(e.classifierScore()).setLabelAccuracy(e.labelAccuracy())
        .setCoveredClasses(e.coveredClasses()).setClassKl(e.classKl()).setPrecision(e.precision())
        .setRecall(e.recall()).setEvaluatorAccuracy(e.evaluatorAccuracy()).build();
    ProgressEvent event = ProgressEvent.newBuilder().setStep(r.step()).setEpoch(r.epoch()).setState(state)
        .setMaxSteps(run.maxSteps()).setEvaluation(ev).build();
    subscribers.forEach(c -> c.accept(event));
  }

  private void publishState() {
    ProgressEvent e = ProgressEvent.newBuilder().setStep(run.step()).setState(state).setMaxSteps(run.maxSteps()).build();
    subscribers.forEach(c -> c.accept(e));
  }
}
