package io.gancluster.trainer.schedule;

/** What one adversarial step (one D update, one G update) produced. */
public record StepReport(long step, int epoch, double dLoss, double gLoss, double realScore, double fakeScore,
    double stepSeconds) {}
