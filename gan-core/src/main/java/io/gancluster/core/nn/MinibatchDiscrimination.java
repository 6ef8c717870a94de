package io.gancluster.core.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Minibatch discrimination (Salimans et al. 2016, "Improved Techniques for Training GANs"), a guard
 * against mode collapse: the discriminator sees, next to a sample's features, how close that sample
 * is to the others in its batch, so a generator that emits near-identical samples is easy to spot.
 *
 * <p>M = f·T is reshaped to [kernels, kernelDim] per sample; for each kernel b,
 * o[i, b] = Σ_{j≠i} exp(−‖M[i, b] − M[j, b]‖₁). We follow the paper's sum (written as the sum over
 * all j minus 1, the self term exp(0)); the TensorFlow code this project was seeded from takes the
 * mean over j and then subtracts 1, which mixes the self term into a batch-size-dependent scale.
 *
 * <p>The projection has no bias: it would cancel in every difference M[i] − M[j] and never learn.
 */
public final class MinibatchDiscrimination {
  private MinibatchDiscrimination() {}

  /**
   * Features [N, inFeatures] → [N, inFeatures + kernels]: the features followed by o.
   *
   * @param groups the batch is split into this many equal, consecutive groups, and a sample is only
   *     compared with its own group. The discriminator runs on concat(real, fake) in one pass; with
   *     groups = 2 each half sees only itself, exactly as two separate passes would. 1 is the plain layer.
   */
  public static SDVariable apply(GraphBuilder g, String name, SDVariable features, long inFeatures,
      int kernels, int kernelDim, int groups) {
    SameDiff sd = g.sameDiff();
    g.unsupported("minibatch discrimination " + name + " (it compares the samples of a batch)");
    SDVariable m = g.dense(name + "_T", features, inFeatures, (long) kernels * kernelDim, false)
        .reshape(groups, -1, kernels, kernelDim);                          // [G, n, B, C]
    SDVariable diff = sd.expandDims(m, 2).sub(sd.expandDims(m, 1));        // [G, n, n, B, C]
    SDVariable c = sd.math().exp(sd.math().abs(diff).sum(4).neg());       // [G, n, n, B]
    SDVariable o = c.sum(2).sub(1.0).reshape(-1, kernels);                 // [N, B]
    return sd.concat(1, features, o);
  }
}
