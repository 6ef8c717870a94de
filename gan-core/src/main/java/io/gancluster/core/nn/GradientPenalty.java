package io.gancluster.core.nn;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The WGAN-GP gradient penalty λ·mean_i(‖∇ₓD(x̂_i)‖ − 1)², made trainable on DL4J 1.0.0-M2.1.
 *
 * <p>Why this class exists: the penalty's gradient with respect to the critic's parameters is a
 * second-order quantity, and SameDiff M2.1 cannot differentiate the output of its own gradient
 * function. So the input gradient ∇ₓD is written here explicitly, with ordinary forward ops, walking
 * the critic's layers (recorded by {@link GraphBuilder#startTape()}) backwards:
 * <ul>
 *   <li>dense y = xW: dx = dy·Wᵀ;
 *   <li>convolution: dx = transposed convolution of dy with the same weights, stride and padding;
 *   <li>LeakyReLU(α): dx = dy ⊙ (sign(z)·(1−α)/2 + (1+α)/2), z the pre-activation;
 *   <li>reshape: reshape back.
 * </ul>
 * SameDiff's ordinary first-order autodiff of that graph is then the exact gradient of the penalty
 * (GradientPenaltyTest checks it against central finite differences in double precision). Layers that
 * mix samples (batch norm, minibatch discrimination) make a per-sample penalty meaningless, and layers
 * without a rule here are refused, naming the layer.
 */
public final class GradientPenalty {
  /** Guards the norm's derivative at a zero gradient. */
  public static final double NORM_EPSILON = 1e-12;

  private GradientPenalty() {}

  /** One recorded critic layer, in forward order. */
  public sealed interface Layer permits Conv, Dense, LeakyRelu, Reshape, Unsupported {}

  /** A convolution; weights [k, k, in, out]. */
  public record Conv(SDVariable weight, int kernel, int stride, boolean same) implements Layer {}

  /** A dense layer; weights [in, out]. */
  public record Dense(SDVariable weight) implements Layer {}

  /** LeakyReLU with slope α below zero (α = 0: ReLU), applied to {@code preActivation}. */
  public record LeakyRelu(SDVariable preActivation, double alpha) implements Layer {}

  /** A reshape from {@code inputShape} (without the batch axis). */
  public record Reshape(long[] inputShape) implements Layer {}

  /** A layer the explicit gradient cannot pass. */
  public record Unsupported(String what) implements Layer {}

  /** The penalty and the mean gradient norm, as graph variables. */
  public record Terms(SDVariable penalty, SDVariable meanNorm) {}

  /** Why a critic cannot carry the penalty, or null if it can. */
  public static String unsupportedReason(List<Layer> tape) {
    List<String> bad = new ArrayList<>();
    for (Layer l : tape) {
      if (l instanceof Unsupported u) {
        bad.add(u.what());
      }
    }
    return bad.isEmpty() ? null : "the gradient penalty needs a critic whose samples do not interact and whose "
        + "layers are dense, convolution, LeakyReLU or reshape; this one has: " + String.join(", ", bad);
  }

  /**
   * ∇ₓ of Σ_i D(x)_i for the recorded critic, whose output is [N, 1]: row i is ∇ₓD(x_i), since the
   * samples do not interact.
   */
  public static SDVariable inputGradient(SameDiff sd, List<Layer> tape, SDVariable criticOutput) {
    String reason = unsupportedReason(tape);
    if (reason != null) {
      throw new IllegalArgumentException(reason);
    }
    SDVariable g = sd.onesLike(criticOutput);
    for (int i = tape.size() - 1; i >= 0; i--) {
      Layer layer = tape.get(i);
      if (layer instanceof Dense d) {
        g = sd.mmul(g, d.weight(), false, true, false);
      } else if (layer instanceof Conv c) {
        g = sd.cnn().deconv2d(g, c.weight(), GraphBuilder.deconvConfig(c.kernel(), c.stride(), c.same()));
      } else if (layer instanceof LeakyRelu a) {
        // the derivative as a step function of z; sign() has zero gradient, as the true second derivative does
        SDVariable slope = sd.math().sign(a.preActivation()).mul((1 - a.alpha()) / 2).add((1 + a.alpha()) / 2);
        g = g.mul(slope);
      } else if (layer instanceof Reshape r) {
        long[] shape = new long[r.inputShape().length + 1];
        shape[0] = -1;
        System.arraycopy(r.inputShape(), 0, shape, 1, r.inputShape().length);
        g = sd.reshape(g, shape);
      }
    }
    return g;
  }

  /** λ·mean_i(‖g_i‖₂ − 1)² over the rows of an input gradient [N, ...], and mean_i ‖g_i‖₂. */
  public static Terms penalty(SameDiff sd, SDVariable inputGradient, int rank, double lambda) {
    int[] axes = new int[rank - 1];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = i + 1;
    }
    SDVariable norm = sd.math().sqrt(sd.math().square(inputGradient).sum(axes).add(NORM_EPSILON));
    SDVariable penalty = sd.math().square(norm.sub(1.0)).mean().mul(lambda);
    return new Terms(penalty, norm.mean());
  }
}
