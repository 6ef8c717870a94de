package io.gancluster.trainer.run;

import io.gancluster.trainer.run.TrainingRun.NonFinitePolicy;
import io.gancluster.trainer.run.TrainingRun.Outcome;
import io.gancluster.trainer.schedule.StepReport;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Steps whose loss or gradients were NaN/Inf. The services have already refused to apply those updates
 * (the parameters are unchanged and finite); STOP ends the run there, SKIP goes on unless it keeps happening.
 */
final class NonFiniteSteps {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class); // one logger for the whole run
  /** Under SKIP, this many NaN/Inf steps in a row mean divergence, not a glitch. */
  static final int MAX_NON_FINITE_IN_A_ROW = 20;

  private NonFinitePolicy policy = NonFinitePolicy.STOP;
  private long count;
  private int inARow;

  void policy(NonFinitePolicy policy) {
    this.policy = policy;
  }

  /** NaN/Inf steps so far (in this process). */
  long count() {
    return count;
  }

  /** How the run ends after step {@code r}, if that step's NaN/Inf ends it. */
  Optional<Outcome> judge(StepReport r, Path lastCheckpoint) {
    if (r.finite() && r.skippedUpdates() <= 0) {
      inARow = 0;
      return Optional.empty();
    }
    count++;
    inARow++;
    String what = "non-finite loss or gradient at step " + r.step() + " (D loss " + r.dLoss() + ", G loss "
        + r.gLoss() + "; " + r.skippedUpdates() + " update(s) not applied)";
    if (policy == NonFinitePolicy.STOP) {
      return Optional.of(new Outcome(Outcome.Reason.FAILED, what + "; stopped (--on-non-finite stop); "
          + "last good checkpoint: " + lastCheckpoint, r.step()));
    }
    if (inARow >= MAX_NON_FINITE_IN_A_ROW) {
      return Optional.of(new Outcome(Outcome.Reason.FAILED, what + "; " + inARow + " steps in a row: the run "
          + "diverged; last good checkpoint: " + lastCheckpoint, r.step()));
    }
    LOG.warn("{}: step skipped (--on-non-finite skip; {} so far)", what, count);
    return Optional.empty();
  }
}
