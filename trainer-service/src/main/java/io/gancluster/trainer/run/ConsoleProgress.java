package io.gancluster.trainer.run;

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
  private double emaSeconds = -1;
  private Consumer<ProgressSnapshot> sink = s -> {};

  public ConsoleProgress(int every, Consumer<String> out) {
    this.every = Math.max(1, every);
    this.out = out;
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
      String critic = Double.isNaN(r.gradientPenalty())
          ? String.format(Locale.ROOT, "D(x) %.3f | D(G(z)) %.3f", r.realScore(), r.fakeScore())
          : String.format(Locale.ROOT, "W %.4f | GP %.4f | |grad D| %.3f", r.wassersteinEstimate(),
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
