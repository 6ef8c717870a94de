package io.gancluster.trainer.schedule;

/**
 * What one adversarial step (one D update, one G update) produced.
 *
 * @param dStepSeconds wall time of the D half: fakes from G, D's update
 * @param gStepSeconds wall time of the G half: G forward, D's image gradient, G's update
 */
public record StepReport(long step, int epoch, double dLoss, double gLoss, double realScore, double fakeScore,
    double stepSeconds, double dStepSeconds, double gStepSeconds) {}
