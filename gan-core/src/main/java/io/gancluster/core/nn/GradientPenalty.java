package io.gancluster.core.nn;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Penalties on the critic's input gradient ∇ₓD, made trainable on DL4J 1.0.0-M2.1: the WGAN-GP
 * gradient penalty λ·mean_i(‖∇ₓD(x̂_i)‖ − 1)² and R1, γ/2·mean_i ‖∇ₓD(x_i)‖² on real images
 * (Mescheder et al. 2018).
 *
 * <p>Why this class exists: a penalty's gradient with respect to the critic's parameters is a
 * second-order quantity, and SameDiff M2.1 cannot differentiate the output of its own gradient
 * function. So the input gradient ∇ₓD is written here explicitly, with ordinary forward ops, walking
 * the critic's layers (recorded by {@link GraphBuilder#startTape()}) backwards:
 * <ul>
 *   <li>dense y = xW: dx = dy·Wᵀ (W as the layer uses it, so spectrally normalised where it is);
 *   <li>convolution: dx = transposed convolution of dy with the same weights, stride and padding
 *       ({@link GraphBuilder#transposedConv2d});
 *   <li>LeakyReLU(α): dx = dy ⊙ (sign(z)·(1−α)/2 + (1+α)/2), z the pre-activation;
 *   <li>reshape: reshape back;
 *   <li>projection s' = s + ⟨e, h⟩ (a projection discriminator's class term, e = E[y] for fixed labels):
 *       ds = ds', dh = ds'·e.
 * </ul>
 * The walk follows variables, not just the order of the layers, so a layer whose output feeds two
 * others (the features a projection term also reads) gets the sum of both gradients, and a recorded
 * layer off the path from the output to the input (a class head, a side branch) is skipped.
 * SameDiff's ordinary first-order autodiff of that graph is then the exact gradient of the penalty
 * (GradientPenaltyTest and R1PenaltyTest check it against central finite differences in double
 * precision). Layers that mix samples (batch norm, minibatch discrimination) make a per-sample
 * penalty meaningless, and layers without a rule here are refused, naming the layer.
 */
public final class GradientPenalty {
  /** Guards the norm's derivative at a zero gradient. */
  public static final double NORM_EPSILON = 1e-12;

  private GradientPenalty() {}

  /** What a penalty does with each sample's input gradient g_i. */
  public enum Form {
    /** WGAN-GP: weight·mean_i(‖g_i‖ − 1)², at interpolates between real and fake images. */
    UNIT_NORM,
    /** R1: weight/2·mean_i ‖g_i‖², at real images. */
    R1
  }

  /** One recorded critic layer, in forward order: what it read and what it produced. */
  public sealed interface Layer permits Conv, Dense, LeakyRelu, Reshape, Projection, Unsupported {}

  /** A convolution; weights [k, k, in, out]; {@code output} includes the bias, if any. */
  public record Conv(SDVariable input, SDVariable output, SDVariable weight, long in, long out, int kernel, int stride,
      boolean same)
      implements Layer {}

  /** A dense layer; weights [in, out]; {@code output} includes the bias, if any. */
  public record Dense(SDVariable input, SDVariable output, SDVariable weight) implements Layer {}

  /** LeakyReLU with slope α below zero (α = 0: ReLU); {@code input} is the pre-activation. */
  public record LeakyRelu(SDVariable input, SDVariable output, double alpha) implements Layer {}

  /** A reshape from {@code inputShape} (without the batch axis). */
  public record Reshape(SDVariable input, SDVariable output, long[] inputShape) implements Layer {}

  /**
   * {@code output} = {@code score} + Σ_j features_j·direction_j, per sample: a projection
   * discriminator's class term, with {@code direction} [N, F] the looked-up class embedding (the
   * labels are fixed, so it is constant with respect to the image).
   */
  public record Projection(SDVariable score, SDVariable features, SDVariable direction, SDVariable output)
      implements Layer {}

  /** A layer the explicit gradient cannot pass. */
  public record Unsupported(String what) implements Layer {}

  /** The penalty and the (weighted) mean gradient norm, as graph variables. */
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
        + "layers are dense, convolution, LeakyReLU, reshape or a class projection; this one has: "
        + String.join(", ", bad);
  }

  /**
   * ∇ₓ of Σ_i D(x)_i for the recorded critic, with x the input of the first recorded layer.
   *
   * @see #inputGradient(SameDiff, List, SDVariable, SDVariable)
   */
  public static SDVariable inputGradient(SameDiff sd, List<Layer> tape, SDVariable criticOutput) {
    if (tape.isEmpty() || input(tape.get(0)) == null) {
      throw new IllegalArgumentException(tape.isEmpty() ? "no critic layers were recorded"
          : unsupportedReason(tape));
    }
    return inputGradient(sd, tape, criticOutput, input(tape.get(0)));
  }

  /**
   * ∇ of Σ_i D_i with respect to {@code input}, for the recorded critic whose output D is [N, 1]: row
   * i is ∇D(x_i), since the samples do not interact. Variables the tape does not derive from
   * {@code input} (e.g. labels) are held fixed.
   */
  public static SDVariable inputGradient(SameDiff sd, List<Layer> tape, SDVariable criticOutput, SDVariable input) {
    String reason = unsupportedReason(tape);
    if (reason != null) {
      throw new IllegalArgumentException(reason);
    }
    // gradients of Σ D with respect to the variables reached so far, by identity
    Map<SDVariable, SDVariable> grads = new IdentityHashMap<>();
    grads.put(criticOutput, sd.onesLike(criticOutput));
    for (int i = tape.size() - 1; i >= 0; i--) {
      Layer layer = tape.get(i);
      SDVariable g = output(layer) == input ? null : grads.remove(output(layer));
      if (g == null) {
        continue; // not on a path from the output (a class head, an unused side branch)
      }
      if (layer instanceof Dense d) {
        accumulate(grads, d.input(), sd.mmul(g, d.weight(), false, true, false));
      } else if (layer instanceof Conv c) {
        accumulate(grads, c.input(), GraphBuilder.transposedConv2d(sd, g, c.weight(), c.in(), c.out(), c.kernel(),
            c.stride(), c.same()));
      } else if (layer instanceof LeakyRelu a) {
        // the derivative as a step function of z; sign() has zero gradient, as the true second derivative does
        SDVariable slope = sd.math().sign(a.input()).mul((1 - a.alpha()) / 2).add((1 + a.alpha()) / 2);
        accumulate(grads, a.input(), g.mul(slope));
      } else if (layer instanceof Reshape r) {
        long[] shape = new long[r.inputShape().length + 1];
        shape[0] = -1;
        System.arraycopy(r.inputShape(), 0, shape, 1, r.inputShape().length);
        accumulate(grads, r.input(), sd.reshape(g, shape));
      } else if (layer instanceof Projection p) {
        accumulate(grads, p.score(), g);
        // g [N, 1] times e [N, F], broadcast by an add (see GraphBuilder#broadcastMul)
        accumulate(grads, p.features(), p.direction().mul(sd.zerosLike(p.direction()).add(g)));
      }
    }
    SDVariable gx = grads.remove(input);
    if (gx == null) {
      throw new IllegalArgumentException("the critic's output does not depend on its input through the recorded layers");
    }
    if (!grads.isEmpty()) {
      List<String> lost = grads.keySet().stream().map(SDVariable::name).toList();
      throw new IllegalStateException("the input gradient reached variables that no recorded layer produced (an op "
          + "built outside GraphBuilder's layers?): " + lost);
    }
    return gx;
  }

  private static void accumulate(Map<SDVariable, SDVariable> grads, SDVariable at, SDVariable g) {
    grads.merge(at, g, SDVariable::add);
  }

  private static SDVariable input(Layer l) {
    if (l instanceof Dense d) {
      return d.input();
    } else if (l instanceof Conv c) {
      return c.input();
    } else if (l instanceof LeakyRelu a) {
      return a.input();
    } else if (l instanceof Reshape r) {
      return r.input();
    } else if (l instanceof Projection p) {
      return p.score();
    }
    return null;
  }

  private static SDVariable output(Layer l) {
    if (l instanceof Dense d) {
      return d.output();
    } else if (l instanceof Conv c) {
      return c.output();
    } else if (l instanceof LeakyRelu a) {
      return a.output();
    } else if (l instanceof Reshape r) {
      return r.output();
    } else if (l instanceof Projection p) {
      return p.output();
    }
    return null;
  }

  /** λ·mean_i(‖g_i‖₂ − 1)² over the rows of an input gradient [N, ...], and mean_i ‖g_i‖₂. */
  public static Terms penalty(SameDiff sd, SDVariable inputGradient, int rank, double lambda) {
    return penalty(sd, inputGradient, rank, Form.UNIT_NORM, lambda, null);
  }

  /**
   * A penalty of {@code form} over the rows of an input gradient [N, ...], and the mean of ‖g_i‖₂.
   *
   * @param weight λ of {@link Form#UNIT_NORM}, γ of {@link Form#R1}
   * @param rowWeights null for a plain mean over the rows; else [N, 1] weights w_i summing to 1, and
   *     both means become Σ_i w_i·(…): e.g. 1/n on the n real rows of a batch and 0 on the others
   */
  public static Terms penalty(SameDiff sd, SDVariable inputGradient, int rank, Form form, double weight,
      SDVariable rowWeights) {
    int[] axes = new int[rank - 1];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = i + 1;
    }
    SDVariable squared = sd.math().square(inputGradient).sum(axes); // [N]
    SDVariable norm = sd.math().sqrt(squared.add(NORM_EPSILON));
    SDVariable perSample = switch (form) {
      case UNIT_NORM -> sd.math().square(norm.sub(1.0));
      case R1 -> squared; // ‖g‖² itself: smooth at g = 0, no ε
    };
    SDVariable w = rowWeights == null ? null : sd.reshape(rowWeights, -1);
    double scale = form == Form.R1 ? weight / 2 : weight;
    return new Terms(mean(perSample, w).mul(scale), mean(norm, w));
  }

  private static SDVariable mean(SDVariable perSample, SDVariable weights) {
    return weights == null ? perSample.mean() : perSample.mul(weights).sum();
  }
}
