package io.gancluster.launcher;

import io.gancluster.core.model.recipe.PresetOverrides;
import picocli.CommandLine.Option;

/**
 * Per-run changes to a preset's objective and optimiser. Shared by every command that builds networks,
 * so that separately started services and the trainer can be given the same recipe (they check it).
 */
final class RecipeOptions {
  @Option(names = "--loss", paramLabel = "LOSS",
      description = "Adversarial loss: bce, lsgan, lsgan-sigmoid, wgan-clip, wgan-gp or hinge. Default: the preset's.")
  String loss;

  @Option(names = "--n-critic", paramLabel = "N", description = "Discriminator updates per generator update.")
  Integer criticSteps;

  @Option(names = "--gp-lambda", paramLabel = "λ", description = "Gradient-penalty weight (wgan-gp; default 10).")
  Double penaltyWeight;

  @Option(names = "--clip", paramLabel = "C", description = "Weight-clipping bound (wgan-clip; default 0.01).")
  Double clipValue;

  @Option(names = "--real-label", paramLabel = "T",
      description = "D's target for real images, < 1 for one-sided label smoothing (bce, lsgan, lsgan-sigmoid; the acgan preset uses 0.95).")
  Double realLabel;

  @Option(names = "--feature-matching",
      description = "Train G to match the mean of D's penultimate features on real images.")
  Boolean featureMatching;

  @Option(names = "--batch-size", paramLabel = "B", description = "Images per batch (real and fake each).")
  Integer batchSize;

  @Option(names = "--g-lr", paramLabel = "LR", description = "Generator Adam learning rate.")
  Double generatorLearningRate;

  @Option(names = "--d-lr", paramLabel = "LR", description = "Discriminator Adam learning rate.")
  Double discriminatorLearningRate;

  @Option(names = "--g-beta1", paramLabel = "B1", description = "Generator Adam beta1.")
  Double generatorBeta1;

  @Option(names = "--d-beta1", paramLabel = "B1", description = "Discriminator Adam beta1.")
  Double discriminatorBeta1;

  @Option(names = "--g-beta2", paramLabel = "B2", description = "Generator Adam beta2.")
  Double generatorBeta2;

  @Option(names = "--d-beta2", paramLabel = "B2", description = "Discriminator Adam beta2.")
  Double discriminatorBeta2;

  @Option(names = "--latent", paramLabel = "DIST", description = "Distribution of z: normal or uniform.")
  String latent;

  @Option(names = "--ema-decay", paramLabel = "D", description = "Keep an exponential moving average of G's "
      + "weights with this decay (e.g. 0.999) and sample, evaluate and serve it; 0: the live weights.")
  Double emaDecay;

  @Option(names = "--augment", paramLabel = "POLICY", description = "Differentiable augmentation of D's inputs, "
      + "real and fake alike: none, or translation and/or cutout, e.g. translation,cutout (defaults ±4 px, 14 px "
      + "square) or translation=3.")
  String augmentation;

  @Option(names = "--spectral-norm", negatable = true, description = "Spectrally normalise D's dense and "
      + "convolution weights (one power iteration per update, its vectors saved in checkpoints).")
  Boolean spectralNorm;

  @Option(names = "--r1", paramLabel = "γ", description = "R1 regularisation of D (Mescheder et al. 2018): D's loss "
      + "gains γ/2 times the mean squared norm of its input gradient on the real images, e.g. 10. 0: off.")
  Double r1Gamma;

  @Option(names = "--class-weight", paramLabel = "W", description = "Weight of D's class head in G's loss (AC-GAN's "
      + "term; a D with a class head only), default 1. Lower, e.g. 0.25, makes samples less uniformly typical of "
      + "their class, at some label accuracy.")
  Double classWeight;

  PresetOverrides toOverrides() {
    return PresetOverrides.builder().loss(loss).criticSteps(criticSteps).penaltyWeight(penaltyWeight)
        .clipValue(clipValue).realLabel(realLabel).featureMatching(featureMatching).batchSize(batchSize)
        .generatorLearningRate(generatorLearningRate).discriminatorLearningRate(discriminatorLearningRate)
        .generatorBeta1(generatorBeta1).discriminatorBeta1(discriminatorBeta1)
        .generatorBeta2(generatorBeta2).discriminatorBeta2(discriminatorBeta2)
        .latent(latent).emaDecay(emaDecay).augmentation(augmentation).spectralNorm(spectralNorm).r1Gamma(r1Gamma)
        .classWeight(classWeight).build();
  }
}
