package io.gancluster.gateway;

import io.gancluster.core.plot.TrainingCharts;
import io.gancluster.core.plot.TrainingHistory;
import io.gancluster.proto.v1.Evaluation;
import io.gancluster.proto.v1.ProgressEvent;
import io.vertx.core.json.JsonObject;

/**
 * What the gateway knows about training, from the trainer's progress feed: the latest step and
 * evaluation (for {@code /api/v1/training}) and a bounded history for the loss chart
 * ({@code /api/v1/training/chart.png}, redrawn only when new points arrived). Thread-safe.
 */
public final class TrainingView {
  private final TrainingHistory history = new TrainingHistory();
  private ProgressEvent lastStep;
  private ProgressEvent lastState;
  private Evaluation lastEvaluation;
  private long version;
  private long chartVersion = -1;
  private byte[] chart;

  public synchronized void record(ProgressEvent e) {
    lastState = e;
    if (e.hasEvaluation()) {
      Evaluation ev = e.getEvaluation();
      lastEvaluation = ev;
      history.add(new TrainingHistory.EvalPoint(ev.getStep(), ev.getFrechetDistance(), ev.getFrechetDistanceFloor(),
          ev.getClassifierScore(), ev.getLabelAccuracy()));
      version++;
    } else if (e.getStepSeconds() > 0) {
      lastStep = e;
      history.add(new TrainingHistory.StepPoint(e.getStep(), e.getDLoss(), e.getGLoss(), e.getRealScore(),
          e.getFakeScore(), e.getWassersteinEstimate(), e.getGradientPenalty()));
      version++;
    }
  }

  /** The PNG chart of the history so far; drawn again only after new points (call off the event loop). */
  public byte[] chartPng() {
    long v;
    synchronized (this) {
      if (chart != null && chartVersion == version) {
        return chart;
      }
      v = version;
    }
    byte[] png = TrainingCharts.png(history);
    synchronized (this) {
      if (v >= chartVersion) {
        chart = png;
        chartVersion = v;
      }
    }
    return png;
  }

  /** {"state", "step", "max_steps", "epoch", losses and scores of the last step, "evaluation": {...}}. */
  public synchronized JsonObject status() {
    JsonObject j = new JsonObject();
    if (lastState == null) {
      return j.put("state", "UNKNOWN").put("message", "no progress from a trainer yet");
    }
    j.put("state", lastState.getState().name().replace("TRAINING_STATE_", "")).put("step", lastState.getStep())
        .put("max_steps", lastState.getMaxSteps());
    if (lastStep != null) {
      j.put("epoch", lastStep.getEpoch()).put("d_loss", finite(lastStep.getDLoss()))
          .put("g_loss", finite(lastStep.getGLoss())).put("real_score", finite(lastStep.getRealScore()))
          .put("fake_score", finite(lastStep.getFakeScore()))
          .put("wasserstein_estimate", finite(lastStep.getWassersteinEstimate()))
          .put("gradient_penalty", finite(lastStep.getGradientPenalty()))
          .put("images_per_second", finite(lastStep.getImagesPerSecond()))
          .put("eta_seconds", finite(lastStep.getEtaSeconds()));
    }
    if (lastEvaluation != null) {
      Evaluation e = lastEvaluation;
      j.put("evaluation", new JsonObject().put("step", e.getStep()).put("samples", e.getSamples())
          .put("frechet_distance", finite(e.getFrechetDistance()))
          .put("frechet_distance_floor", finite(e.getFrechetDistanceFloor()))
          .put("classifier_score", finite(e.getClassifierScore())).put("label_accuracy", finite(e.getLabelAccuracy()))
          .put("covered_classes", e.getCoveredClasses()).put("class_kl", finite(e.getClassKl()))
          .put("precision", finite(e.getPrecision())).put("recall", finite(e.getRecall()))
          .put("evaluator_accuracy", finite(e.getEvaluatorAccuracy())));
    }
    return j;
  }

  /** JSON has no NaN: a value a loss does not define is null. */
  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
