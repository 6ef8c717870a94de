package io.gancluster.core.model.recipe;

/** Adam's learning rate and moment decays for one network. */
public record AdamSettings(double learningRate, double beta1, double beta2) {
  public static final double DEFAULT_BETA2 = 0.999;

  public AdamSettings {
    if (!(learningRate > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException("Adam needs learning rate > 0 and betas in [0, 1); got lr=" + learningRate
          + " beta1=" + beta1 + " beta2=" + beta2);
    }
  }

  public AdamSettings(double learningRate, double beta1) {
    this(learningRate, beta1, DEFAULT_BETA2);
  }

  @Override
  public String toString() {
    return String.format("adam(lr=%g, beta1=%g, beta2=%g)", learningRate, beta1, beta2);
  }
}
