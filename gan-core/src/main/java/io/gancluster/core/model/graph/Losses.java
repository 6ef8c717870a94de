package io.gancluster.core.model.graph;

import io.gancluster.core.model.recipe.Objective;

import io.gancluster.core.model.recipe.Objective.Loss;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The per-sample adversarial losses as graph expressions of D's score l [N, 1]. The caller weights
 * and sums them (weights 1/B per half give batch means). Formulas in {@link Objective.Loss}.
 */
public final class Losses {
  private Losses() {}

  /** ℓ_D(l, t): t is the target, 1 (or the smoothed real label) for reals and 0 for fakes. */
  public static SDVariable discriminator(SameDiff sd, Loss loss, SDVariable l, SDVariable t) {
    return switch (loss) {
      // softplus(l) − t·l in the overflow-free form max(l, 0) − t·l + log(1 + exp(−|l|))
      case BCE -> sd.nn().relu(l, 0.0).sub(t.mul(l)).add(softplusOfMinusAbs(sd, l));
      case LSGAN -> sd.math().square(l.sub(t)).mul(0.5);
      case LSGAN_SIGMOID -> sd.math().square(sd.nn().sigmoid(l).sub(t)).mul(0.5);
      // sign s = 1 − 2t: +l for fakes, −l for reals
      case WGAN_CLIP, WGAN_GP -> t.mul(-2.0).add(1.0).mul(l);
      case HINGE -> sd.nn().relu(t.mul(2.0).sub(1.0).mul(l).rsub(1.0), 0.0);
    };
  }

  /** ℓ_G(l) on fakes. */
  public static SDVariable generator(SameDiff sd, Loss loss, SDVariable l) {
    return switch (loss) {
      case BCE -> sd.nn().relu(l.neg(), 0.0).add(softplusOfMinusAbs(sd, l)); // softplus(−l), non-saturating
      case LSGAN -> sd.math().square(l.sub(1.0)).mul(0.5);
      case LSGAN_SIGMOID -> sd.math().square(sd.nn().sigmoid(l).sub(1.0)).mul(0.5);
      case WGAN_CLIP, WGAN_GP, HINGE -> l.neg();
    };
  }

  /**
   * Σ_i w_i · CE(softmax(l_i), t_i) for one-hot targets t [N, classes] and weights w [N, 1]: ND4J's own
   * softmax cross-entropy, summed (a hand-written logsumexp hit a reduce_sum_bp shape bug in M2.1).
   */
  public static SDVariable weightedCrossEntropy(SameDiff sd, SDVariable logits, SDVariable oneHot, SDVariable weight) {
    return sd.loss().softmaxCrossEntropy(oneHot, logits, weight.reshape(-1), LossReduce.SUM, 0.0);
  }

  private static SDVariable softplusOfMinusAbs(SameDiff sd, SDVariable l) {
    return sd.math().log1p(sd.math().exp(sd.math().abs(l).neg()));
  }
}
