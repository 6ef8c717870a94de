package io.gancluster.core.model.recipe;

import io.gancluster.core.model.graph.Losses;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What the discriminator and the generator minimise, chosen per run.
 *
 * @param loss the adversarial loss pair
 * @param realLabel D's target for real images under bce/lsgan/lsgan-sigmoid: 1, or less for one-sided label smoothing
 *     (seed 000 uses 0.95); fakes always target 0
 * @param penaltyWeight λ of the WGAN-GP gradient penalty (wgan-gp only)
 * @param clipValue c of WGAN's weight clipping to [−c, c] after every critic update (wgan-clip only)
 * @param featureMatching the generator matches the mean of D's penultimate features on real images
 *     (Salimans et al. 2016) instead of the adversarial generator loss
 * @param matchingAware GAN-cls (Reed et al. 2016): D also sees real images with wrong labels, as fakes
 * @param augmentation what D's inputs, real and fake, go through first ({@link Augmentation#NONE}: nothing)
 * @param r1Gamma γ of R1 regularisation (Mescheder et al. 2018): D's loss gains (γ/2)·mean ‖∇ₓD(x)‖² over the
 *     real images it judges (after augmentation), with any loss; 0: off
 * @param classWeight weight of D's auxiliary class head in G's loss (AC-GAN's term: G is rewarded for fakes
 *     D classifies as their requested label); below 1 it pushes G less towards the most typical image of
 *     each class. Only for a D with a class head; 1 elsewhere
 */
public record Objective(Loss loss, double realLabel, double penaltyWeight, double clipValue, boolean featureMatching,
    boolean matchingAware, Augmentation augmentation, double r1Gamma, double classWeight) {
  public static final double DEFAULT_PENALTY_WEIGHT = 10;
  public static final double DEFAULT_CLIP = 0.01;
  /** AC-GAN's auxiliary classification weights (a Keras AC-GAN recipe): D learns classes from reals only (2 vs 0). */
  public static final double AUX_REAL_WEIGHT = 2;
  public static final double AUX_FAKE_WEIGHT = 0;
  /** G is rewarded for fakes D classifies as their requested label, by default as much as by the adversarial term. */
  public static final double DEFAULT_CLASS_WEIGHT = 1;

  /** The loss pairs. Every D outputs an unbounded score l (a logit for bce). */
  public enum Loss {
    /** L_D = −log σ(l_real) − log(1 − σ(l_fake)); L_G = −log σ(l_fake) (non-saturating). */
    BCE("bce"),
    /** Least squares on the raw output (Mao et al.): L_D = ½(l_real − 1)² + ½ l_fake², L_G = ½(l_fake − 1)². */
    LSGAN("lsgan"),
    /** Least squares on σ(l), D's sigmoid output, as GAN-cls's reference recipe writes it: L_D = ½(σ(l_real) − 1)² + ½ σ(l_fake)². */
    LSGAN_SIGMOID("lsgan-sigmoid"),
    /** Wasserstein with weight clipping: L_D = l_fake − l_real, L_G = −l_fake. */
    WGAN_CLIP("wgan-clip"),
    /** Wasserstein with the gradient penalty λ(‖∇D(x̂)‖ − 1)² at random interpolates x̂. */
    WGAN_GP("wgan-gp"),
    /** Hinge: L_D = max(0, 1 − l_real) + max(0, 1 + l_fake), L_G = −l_fake. */
    HINGE("hinge");

    private final String cliName;

    Loss(String cliName) {
      this.cliName = cliName;
    }

    public String cliName() {
      return cliName;
    }

    /** Losses on D's probability σ(l): scores are reported as probabilities, the real target can be smoothed. */
    public boolean probabilistic() {
      return this == BCE || this == LSGAN_SIGMOID;
    }

    /** Losses with a real target, which one-sided label smoothing may lower. */
    public boolean hasRealTarget() {
      return this == BCE || this == LSGAN || this == LSGAN_SIGMOID;
    }

    public boolean wasserstein() {
      return this == WGAN_CLIP || this == WGAN_GP;
    }

    public static Loss parse(String name) {
      for (Loss l : values()) {
        if (l.cliName.equals(name)) {
          return l;
        }
      }
      throw new IllegalArgumentException("unknown loss '" + name + "'; choose one of " + names());
    }

    public static String names() {
      return Arrays.stream(values()).map(Loss::cliName).collect(Collectors.joining(", "));
    }
  }

  public Objective {
    if (augmentation == null) {
      augmentation = Augmentation.NONE;
    }
    if (loss == null) {
      throw new IllegalArgumentException("no loss given; choose one of " + Loss.names());
    }
    if (!(realLabel > 0.5 && realLabel <= 1)) {
      throw new IllegalArgumentException("real label must be in (0.5, 1], got " + realLabel);
    }
    if (realLabel != 1 && !loss.hasRealTarget()) {
      throw new IllegalArgumentException("label smoothing applies to bce, lsgan and lsgan-sigmoid, not " + loss.cliName()
          + " (its D output is a score, not a probability)");
    }
    if (loss == Loss.WGAN_GP ? !(penaltyWeight > 0) : penaltyWeight != 0) {
      throw new IllegalArgumentException(loss == Loss.WGAN_GP ? "wgan-gp needs a penalty weight λ > 0"
          : "a gradient-penalty weight only applies to wgan-gp, not " + loss.cliName());
    }
    if (loss == Loss.WGAN_CLIP ? !(clipValue > 0) : clipValue != 0) {
      throw new IllegalArgumentException(loss == Loss.WGAN_CLIP ? "wgan-clip needs a clip value c > 0"
          : "weight clipping only applies to wgan-clip, not " + loss.cliName());
    }
    if (!(r1Gamma >= 0 && Double.isFinite(r1Gamma))) {
      throw new IllegalArgumentException("the R1 weight γ must be a finite number ≥ 0 (0: off), got " + r1Gamma);
    }
    if (!(classWeight >= 0 && Double.isFinite(classWeight))) {
      throw new IllegalArgumentException("the class weight must be a finite number ≥ 0, got " + classWeight);
    }
  }

  /** With AC-GAN's usual class weight. */
  public Objective(Loss loss, double realLabel, double penaltyWeight, double clipValue, boolean featureMatching,
      boolean matchingAware, Augmentation augmentation, double r1Gamma) {
    this(loss, realLabel, penaltyWeight, clipValue, featureMatching, matchingAware, augmentation, r1Gamma,
        DEFAULT_CLASS_WEIGHT);
  }

  /** Without R1. */
  public Objective(Loss loss, double realLabel, double penaltyWeight, double clipValue, boolean featureMatching,
      boolean matchingAware, Augmentation augmentation) {
    this(loss, realLabel, penaltyWeight, clipValue, featureMatching, matchingAware, augmentation, 0);
  }

  public Objective(Loss loss, double realLabel, double penaltyWeight, double clipValue, boolean featureMatching) {
    this(loss, realLabel, penaltyWeight, clipValue, featureMatching, false, Augmentation.NONE, 0);
  }

  /** The loss with its usual settings: no smoothing, λ = 10 for wgan-gp, c = 0.01 for wgan-clip. */
  public static Objective of(Loss loss) {
    return new Objective(loss, 1.0, loss == Loss.WGAN_GP ? DEFAULT_PENALTY_WEIGHT : 0,
        loss == Loss.WGAN_CLIP ? DEFAULT_CLIP : 0, false);
  }

  public Objective withRealLabel(double label) {
    return new Objective(loss, label, penaltyWeight, clipValue, featureMatching, matchingAware, augmentation,
        r1Gamma, classWeight);
  }

  public Objective withPenaltyWeight(double lambda) {
    return new Objective(loss, realLabel, lambda, clipValue, featureMatching, matchingAware, augmentation,
        r1Gamma, classWeight);
  }

  public Objective withClipValue(double c) {
    return new Objective(loss, realLabel, penaltyWeight, c, featureMatching, matchingAware, augmentation,
        r1Gamma, classWeight);
  }

  public Objective withFeatureMatching(boolean on) {
    return new Objective(loss, realLabel, penaltyWeight, clipValue, on, matchingAware, augmentation,
        r1Gamma, classWeight);
  }

  public Objective withMatchingAware(boolean on) {
    return new Objective(loss, realLabel, penaltyWeight, clipValue, featureMatching, on, augmentation,
        r1Gamma, classWeight);
  }

  public Objective withAugmentation(Augmentation a) {
    return new Objective(loss, realLabel, penaltyWeight, clipValue, featureMatching, matchingAware, a,
        r1Gamma, classWeight);
  }

  /** With R1 regularisation of weight γ (0: off). */
  public Objective withR1(double gamma) {
    return new Objective(loss, realLabel, penaltyWeight, clipValue, featureMatching, matchingAware, augmentation,
        gamma, classWeight);
  }

  /** With G's class-head term weighted by {@code w} (a D with a class head only; 1: AC-GAN's usual weight). */
  public Objective withClassWeight(double w) {
    return new Objective(loss, realLabel, penaltyWeight, clipValue, featureMatching, matchingAware, augmentation,
        r1Gamma, w);
  }

  /** A one-line description, also how services and the trainer check they agree. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(loss.cliName());
    if (realLabel != 1) {
      s.append(" real-label=").append(realLabel);
    }
    if (loss == Loss.WGAN_GP) {
      s.append(" lambda=").append(penaltyWeight);
    }
    if (loss == Loss.WGAN_CLIP) {
      s.append(" clip=").append(clipValue);
    }
    if (r1Gamma > 0) {
      s.append(" r1=").append(BigDecimal.valueOf(r1Gamma).stripTrailingZeros().toPlainString());
    }
    if (classWeight != DEFAULT_CLASS_WEIGHT) {
      s.append(" class-weight=").append(BigDecimal.valueOf(classWeight).stripTrailingZeros().toPlainString());
    }
    if (featureMatching) {
      s.append(" feature-matching");
    }
    if (matchingAware) {
      s.append(" matching-aware");
    }
    if (augmentation.enabled()) {
      s.append(" augment=").append(augmentation);
    }
    return s.toString();
  }
}
