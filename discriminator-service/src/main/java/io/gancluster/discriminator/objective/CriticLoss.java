package io.gancluster.discriminator.objective;

import io.gancluster.core.model.recipe.Objective;
import io.gancluster.core.nn.Network;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a loss family ({@link Objective.Loss}) adds to D's critic step around ℓ_D, which D's graph
 * already carries: the real rows' target, extra graph inputs and outputs, and a rule for D's weights
 * after each applied update.
 */
public interface CriticLoss {
  /** The target of real rows; fakes always target 0. */
  default double realTarget() {
    return 1.0;
  }

  /** Whether a step reports its scores as σ(l), D's belief that images are real, rather than raw. */
  default boolean reportsProbabilities() {
    return false;
  }

  /** Adds this step's extra graph inputs to {@code feed} and the extra outputs to read to {@code outputs}. */
  default void addInputs(CriticBatch batch, Map<String, INDArray> feed, List<String> outputs) {}

  /** The gradient penalty (λ included) and/or R1 (γ included) from the step's outputs; NaN without either. */
  default double penalty(Map<String, INDArray> outputs) {
    return Double.NaN;
  }

  /** Mean ‖∇ₓD(x̂)‖ at the penalty's interpolates, else R1's mean ‖∇ₓD(x)‖ on the reals; NaN without either. */
  default double gradNorm(Map<String, INDArray> outputs) {
    return Double.NaN;
  }

  /** Runs after an update was applied (never after a skipped one). */
  default void afterUpdate(Network critic) {}

  /** The loss family's part, with R1 regularisation around it when the objective asks for it. */
  static CriticLoss of(Objective objective, long seed) {
    CriticLoss loss = switch (objective.loss()) {
      case BCE, LSGAN, LSGAN_SIGMOID, HINGE -> new StandardLoss(objective);
      case WGAN_GP -> new WassersteinGpLoss(seed);
      case WGAN_CLIP -> new WeightClippingLoss(objective.clipValue());
    };
    return objective.r1Gamma() > 0 ? new R1Regularised(loss) : loss;
  }
}
