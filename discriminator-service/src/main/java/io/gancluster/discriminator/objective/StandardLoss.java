package io.gancluster.discriminator.objective;

import io.gancluster.core.model.recipe.Objective;

/** bce, lsgan, lsgan-sigmoid and hinge: ℓ_D alone, with one-sided label smoothing where there is a real target. */
final class StandardLoss implements CriticLoss {
  private final double realTarget;
  private final boolean probabilistic;

  StandardLoss(Objective objective) {
    this.realTarget = objective.loss().hasRealTarget() ? objective.realLabel() : 1.0;
    this.probabilistic = objective.loss().probabilistic();
  }

  @Override
  public double realTarget() {
    return realTarget;
  }

  @Override
  public boolean reportsProbabilities() {
    return probabilistic;
  }
}
