package io.gancluster.core.model.recipe;

import io.gancluster.core.model.recipe.Objective.Loss;

/**
 * Per-run changes to a preset (command-line options). A null field keeps the preset's value. The
 * same overrides go to the trainer and to both network services, which check they agree.
 *
 * <p>Build them by name with {@link #builder()}; the positional constructors without the later
 * components remain for existing callers.
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
    Boolean spectralNorm,
    Double r1Gamma,
    Double classWeight) {

  public static final PresetOverrides NONE = builder().build();

  /** Without a class-weight override. */
  public PresetOverrides(String loss, Integer criticSteps, Double penaltyWeight, Double clipValue, Double realLabel,
      Boolean featureMatching, Integer batchSize, Double generatorLearningRate, Double discriminatorLearningRate,
      Double generatorBeta1, Double discriminatorBeta1, Double generatorBeta2, Double discriminatorBeta2,
      String latent, Double emaDecay, String augmentation, Boolean spectralNorm, Double r1Gamma) {
    this(loss, criticSteps, penaltyWeight, clipValue, realLabel, featureMatching, batchSize, generatorLearningRate,
        discriminatorLearningRate, generatorBeta1, discriminatorBeta1, generatorBeta2, discriminatorBeta2, latent,
        emaDecay, augmentation, spectralNorm, r1Gamma, null);
  }

  /** Without an R1 override. */
  public PresetOverrides(String loss, Integer criticSteps, Double penaltyWeight, Double clipValue, Double realLabel,
      Boolean featureMatching, Integer batchSize, Double generatorLearningRate, Double discriminatorLearningRate,
      Double generatorBeta1, Double discriminatorBeta1, Double generatorBeta2, Double discriminatorBeta2,
      String latent, Double emaDecay, String augmentation, Boolean spectralNorm) {
    this(loss, criticSteps, penaltyWeight, clipValue, realLabel, featureMatching, batchSize, generatorLearningRate,
        discriminatorLearningRate, generatorBeta1, discriminatorBeta1, generatorBeta2, discriminatorBeta2, latent,
        emaDecay, augmentation, spectralNorm, null);
  }

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
            .withAugmentation(o.augmentation()).withR1(o.r1Gamma()).withClassWeight(o.classWeight());
      }
    }
    o = new Objective(o.loss(),
        realLabel != null ? realLabel : o.realLabel(),
        penaltyWeight != null ? penaltyWeight : o.penaltyWeight(),
        clipValue != null ? clipValue : o.clipValue(),
        featureMatching != null ? featureMatching : o.featureMatching(), o.matchingAware(),
        augmentation != null ? Augmentation.parse(augmentation) : o.augmentation(),
        r1Gamma != null ? r1Gamma : o.r1Gamma(),
        classWeight != null ? classWeight : o.classWeight());
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

  public static Builder builder() {
    return new Builder();
  }

  /** Overrides by name; anything not set keeps the preset's value. */
  public static final class Builder {
    private String loss;
    private Integer criticSteps;
    private Double penaltyWeight;
    private Double clipValue;
    private Double realLabel;
    private Boolean featureMatching;
    private Integer batchSize;
    private Double generatorLearningRate;
    private Double discriminatorLearningRate;
    private Double generatorBeta1;
    private Double discriminatorBeta1;
    private Double generatorBeta2;
    private Double discriminatorBeta2;
    private String latent;
    private Double emaDecay;
    private String augmentation;
    private Boolean spectralNorm;
    private Double r1Gamma;
    private Double classWeight;

    private Builder() {}

    public Builder loss(String loss) {
      this.loss = loss;
      return this;
    }

    public Builder criticSteps(Integer criticSteps) {
      this.criticSteps = criticSteps;
      return this;
    }

    public Builder penaltyWeight(Double penaltyWeight) {
      this.penaltyWeight = penaltyWeight;
      return this;
    }

    public Builder clipValue(Double clipValue) {
      this.clipValue = clipValue;
      return this;
    }

    public Builder realLabel(Double realLabel) {
      this.realLabel = realLabel;
      return this;
    }

    public Builder featureMatching(Boolean featureMatching) {
      this.featureMatching = featureMatching;
      return this;
    }

    public Builder batchSize(Integer batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    public Builder generatorLearningRate(Double rate) {
      this.generatorLearningRate = rate;
      return this;
    }

    public Builder discriminatorLearningRate(Double rate) {
      this.discriminatorLearningRate = rate;
      return this;
    }

    public Builder generatorBeta1(Double beta1) {
      this.generatorBeta1 = beta1;
      return this;
    }

    public Builder discriminatorBeta1(Double beta1) {
      this.discriminatorBeta1 = beta1;
      return this;
    }

    public Builder generatorBeta2(Double beta2) {
      this.generatorBeta2 = beta2;
      return this;
    }

    public Builder discriminatorBeta2(Double beta2) {
      this.discriminatorBeta2 = beta2;
      return this;
    }

    public Builder latent(String latent) {
      this.latent = latent;
      return this;
    }

    public Builder emaDecay(Double emaDecay) {
      this.emaDecay = emaDecay;
      return this;
    }

    public Builder augmentation(String augmentation) {
      this.augmentation = augmentation;
      return this;
    }

    public Builder spectralNorm(Boolean spectralNorm) {
      this.spectralNorm = spectralNorm;
      return this;
    }

    /** R1's γ; 0 turns it off where a preset has it. */
    public Builder r1Gamma(Double r1Gamma) {
      this.r1Gamma = r1Gamma;
      return this;
    }

    public Builder classWeight(Double classWeight) {
      this.classWeight = classWeight;
      return this;
    }

    public PresetOverrides build() {
      return new PresetOverrides(loss, criticSteps, penaltyWeight, clipValue, realLabel, featureMatching, batchSize,
          generatorLearningRate, discriminatorLearningRate, generatorBeta1, discriminatorBeta1, generatorBeta2,
          discriminatorBeta2, latent, emaDecay, augmentation, spectralNorm, r1Gamma, classWeight);
    }
  }
}
