package io.gancluster.core.model.recipe;

import io.gancluster.core.model.recipe.Objective.Loss;

/**
 * Per-run changes to a preset (command-line options). A null field keeps the preset's value. The
 * same overrides go to the trainer and to both network services, which check they agree.
 */
public record PresetOverrides(
    String loss,
    Integer criticSteps,
    Double penaltyWeight,
    Double clipValue,
    Double realLabel,
    Boolean featureMatching,
    Integer batchSize,
    Double generatorLearningRate,
    Double discriminatorLearningRate,
    Double generatorBeta1,
    Double discriminatorBeta1,
    Double generatorBeta2,
    Double discriminatorBeta2,
    String latent,
    Double emaDecay,
    String augmentation,
    Boolean spectralNorm) {

  public static final PresetOverrides NONE =
      new PresetOverrides(null, null, null, null, null, null, null, null, null, null, null, null, null, null);

  /** Without a spectral-norm override. */
  public PresetOverrides(String loss, Integer criticSteps, Double penaltyWeight, Double clipValue, Double realLabel,
      Boolean featureMatching, Integer batchSize, Double generatorLearningRate, Double discriminatorLearningRate,
      Double generatorBeta1, Double discriminatorBeta1, Double generatorBeta2, Double discriminatorBeta2,
      String latent, Double emaDecay, String augmentation) {
    this(loss, criticSteps, penaltyWeight, clipValue, realLabel, featureMatching, batchSize, generatorLearningRate,
        discriminatorLearningRate, generatorBeta1, discriminatorBeta1, generatorBeta2, discriminatorBeta2, latent,
        emaDecay, augmentation, null);
  }

  /** Without an augmentation or spectral-norm override. */
  public PresetOverrides(String loss, Integer criticSteps, Double penaltyWeight, Double clipValue, Double realLabel,
      Boolean featureMatching, Integer batchSize, Double generatorLearningRate, Double discriminatorLearningRate,
      Double generatorBeta1, Double discriminatorBeta1, Double generatorBeta2, Double discriminatorBeta2,
      String latent, Double emaDecay) {
    this(loss, criticSteps, penaltyWeight, clipValue, realLabel, featureMatching, batchSize, generatorLearningRate,
        discriminatorLearningRate, generatorBeta1, discriminatorBeta1, generatorBeta2, discriminatorBeta2, latent,
        emaDecay, null, null);
  }

  /** Without an EMA decay or augmentation override. */
  public PresetOverrides(String loss, Integer criticSteps, Double penaltyWeight, Double clipValue, Double realLabel,
      Boolean featureMatching, Integer batchSize, Double generatorLearningRate, Double discriminatorLearningRate,
      Double generatorBeta1, Double discriminatorBeta1, Double generatorBeta2, Double discriminatorBeta2,
      String latent) {
    this(loss, criticSteps, penaltyWeight, clipValue, realLabel, featureMatching, batchSize, generatorLearningRate,
        discriminatorLearningRate, generatorBeta1, discriminatorBeta1, generatorBeta2, discriminatorBeta2, latent,
        null);
  }

  /**
   * The preset with these changes, validated as a whole: an impossible combination (e.g. a gradient
   * penalty weight without wgan-gp, wgan-gp on a critic with batch norm) fails here, before training.
   */
  public Preset applyTo(Preset p) {
    Objective o = p.objective();
    if (loss != null) {
      Loss l = Loss.parse(loss);
      if (l != o.loss()) {
        o = Objective.of(l).withFeatureMatching(o.featureMatching()).withMatchingAware(o.matchingAware())
            .withAugmentation(o.augmentation());
      }
    }
    o = new Objective(o.loss(),
        realLabel != null ? realLabel : o.realLabel(),
        penaltyWeight != null ? penaltyWeight : o.penaltyWeight(),
        clipValue != null ? clipValue : o.clipValue(),
        featureMatching != null ? featureMatching : o.featureMatching(), o.matchingAware(),
        augmentation != null ? Augmentation.parse(augmentation) : o.augmentation());
    if (criticSteps != null && criticSteps < 1) {
      throw new IllegalArgumentException("n-critic must be at least 1, got " + criticSteps);
    }
    if (batchSize != null && batchSize < 2) {
      throw new IllegalArgumentException("batch size must be at least 2, got " + batchSize);
    }
    AdamSettings g = p.generatorAdam();
    AdamSettings d = p.discriminatorAdam();
    g = new AdamSettings(or(generatorLearningRate, g.learningRate()), or(generatorBeta1, g.beta1()),
        or(generatorBeta2, g.beta2()));
    d = new AdamSettings(or(discriminatorLearningRate, d.learningRate()), or(discriminatorBeta1, d.beta1()),
        or(discriminatorBeta2, d.beta2()));
    ModelSpec m = p.model();
    if (latent != null) {
      m = m.withLatent(Latent.parse(latent));
    }
    if (spectralNorm != null) {
      m = m.withSpectralNorm(spectralNorm);
    }
    try {
      return p.withModel(m).withObjective(o).withAdam(g, d)
          .withCriticSteps(criticSteps != null ? criticSteps : p.criticSteps())
          .withBatchSize(batchSize != null ? batchSize : p.batchSize())
          .withEmaDecay(emaDecay != null ? emaDecay : p.emaDecay());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("preset " + p.name() + " with these options: " + e.getMessage(), e);
    }
  }

  private static double or(Double v, double fallback) {
    return v != null ? v : fallback;
  }
}
