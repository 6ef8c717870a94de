package io.gancluster.trainer.schedule;

/**
 * What one adversarial step (n_critic D updates, one G update) produced. D figures are means over the
 * step's critic updates.
 *
 * @param realScore mean D output on reals: a probability under bce, the raw score otherwise
 * @param wassersteinEstimate mean D(real) − mean D(fake) on raw scores (the critic's W estimate under WGAN)
 * @param gradientPenalty λ·mean(‖∇D(x̂)‖ − 1)² under wgan-gp, plus R1's (γ/2)·mean ‖∇D(x)‖² on the reals when
 *     on; NaN with neither
 * @param criticGradNorm mean ‖∇D(x̂)‖ at the interpolates under wgan-gp, else R1's mean ‖∇D(x)‖ on the reals;
 *     NaN with neither
 * @param dStepSeconds wall time of the D half: fakes from G, D's updates (G's forward pass for the G half
 *     runs during it unless the schedule is sequential)
 * @param gStepSeconds wall time of the G half: G forward, D's image gradient, G's update
 * @param skippedUpdates updates of this step not applied because a loss or gradient was NaN/Inf
 */
public record StepReport(long step, int epoch, double dLoss, double gLoss, double realScore, double fakeScore,
    double wassersteinEstimate, double gradientPenalty, double criticGradNorm,
    double stepSeconds, double dStepSeconds, double gStepSeconds, int skippedUpdates) {

  public StepReport(long step, int epoch, double dLoss, double gLoss, double realScore, double fakeScore,
      double wassersteinEstimate, double gradientPenalty, double criticGradNorm,
      double stepSeconds, double dStepSeconds, double gStepSeconds) {
    this(step, epoch, dLoss, gLoss, realScore, fakeScore, wassersteinEstimate, gradientPenalty, criticGradNorm,
        stepSeconds, dStepSeconds, gStepSeconds, 0);
  }

  /** Whether the losses are numbers (not NaN or Inf). */
  public boolean finite() {
    return Double.isFinite(dLoss) && Double.isFinite(gLoss);
  }
}
