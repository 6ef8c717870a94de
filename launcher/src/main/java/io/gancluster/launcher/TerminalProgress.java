package io.gancluster.launcher;

import io.gancluster.trainer.run.TrainingRun;
import io.gancluster.trainer.schedule.StepReport;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar with rate and ETA (me.tongfei:progressbar) for long work started from a terminal:
 * training steps, evaluator training. Only where a person watches: in a pipe or a log file the
 * periodic log lines say the same without carriage returns.
 */
final class TerminalProgress implements TrainingRun.Listener, AutoCloseable {
  private final String task;
  private ProgressBar bar;

  TerminalProgress(String task) {
    this.task = task;
  }

  /** Whether stdout and stderr go to a terminal (System.console() is null when either is redirected). */
  static boolean interactive() {
    return System.console() != null && !Boolean.getBoolean("gan.noProgressBar");
  }

  @Override
  public void onStep(StepReport report, long maxSteps, int batchSize) {
    step(report.step(), maxSteps);
    bar.setExtraMessage(String.format(Locale.ROOT, " D %.3f G %.3f", report.dLoss(), report.gLoss()));
  }

  /** Moves the bar to {@code done} of {@code total}; the first call sets where it starts (a resumed run). */
  synchronized void step(long done, long total) {
    if (bar == null) {
      bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
          .setUpdateIntervalMillis(500).showSpeed().startsFrom(Math.max(0, done - 1), Duration.ZERO).build();
    }
    bar.maxHint(total);
    bar.stepTo(done);
  }

  @Override
  public synchronized void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
