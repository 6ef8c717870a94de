package io.gancluster.trainer.run;

import io.gancluster.core.model.recipe.Objective;
import io.gancluster.trainer.schedule.StepReport;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Progress lines for people: step, epoch, losses, D's scores, images/s and ETA, every {@code every}
 * steps. Speed is an exponential moving average of step time, so the ETA settles after a few lines.
 */
public final class ConsoleProgress implements TrainingRun.Listener {
  private final int every;
  private final Consumer<String> out;
  private final boolean wasserstein;
  private final String penalty;
  private double emaSeconds = -1;
  private Consumer<ProgressSnapshot> sink = s -> {};

  /** Lines for a run whose penalty, if it reports one, is wgan-gp's. */
  public ConsoleProgress(int every, Consumer<String> out) {
    this(every, out, true, "GP");
  }

  /** Lines for a run of this objective: its penalty is wgan-gp's (GP), R1, or both (GP+R1). */
  public ConsoleProgress(int every, Consumer<String> out, Objective objective) {
    this(every, out, objective.loss() == Objective.Loss.WGAN_GP,
        objective.loss() == Objective.Loss.WGAN_GP ? (objective.r1Gamma() > 0 ? "GP+R1" : "GP") : "R1");
  }

  private ConsoleProgress(int every, Consumer<String> out, boolean wasserstein, String penalty) {
    this.every = Math.max(1, every);
    this.out = out;
    this.wasserstein = wasserstein;
    this.penalty = penalty;
  }

  /** Also forwards every step's figures (e.g. to the gRPC progress feed). */
  public ConsoleProgress forwardTo(Consumer<ProgressSnapshot> sink) {
    this.sink = sink;
    return this;
  }

  @Override
  public void onStep(StepReport r, long maxSteps, int batchSize) {
    emaSeconds = emaSeconds < 0 ? r.stepSeconds() : 0.9 * emaSeconds + 0.1 * r.stepSeconds();
    double imagesPerSecond = batchSize / emaSeconds;
    double eta = Math.max(0, maxSteps - r.step()) * emaSeconds;
    sink.accept(new ProgressSnapshot(r, maxSteps, imagesPerSecond, eta));
    if (r.step() % every == 0 || r.step() == 1 || r.step() == maxSteps) {
      String scores = String.format(Locale.ROOT, "D(x) %.3f | D(G(z)) %.3f", r.realScore(), r.fakeScore());
      String critic = Double.isNaN(r.gradientPenalty()) ? scores
          : String.format(Locale.ROOT, "%s | %s %.4f | |grad D| %.3f",
              wasserstein ? String.format(Locale.ROOT, "W %.4f", r.wassersteinEstimate()) : scores, penalty,
              r.gradientPenalty(), r.criticGradNorm());
      out.accept(String.format(Locale.ROOT,
          "step %d/%d | epoch %d | D loss %.4f | G loss %.4f | %s | %.1f img/s | ETA %s",
          r.step(), maxSteps, r.epoch() + 1, r.dLoss(), r.gLoss(), critic, imagesPerSecond, duration(eta)));
    }
  }

  @Override
  public void onGrid(long step, Path file) {
    out.accept("sample grid (fixed z) at step " + step + ": " + file);
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60)
        : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
  }

  /** One step's figures with the derived speed and ETA. */
  public record ProgressSnapshot(StepReport report, long maxSteps, double imagesPerSecond, double etaSeconds) {}
}
