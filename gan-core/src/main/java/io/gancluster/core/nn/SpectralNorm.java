package io.gancluster.core.nn;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Spectral normalisation (Miyato et al., 2018): a layer uses W / σ(W), with σ the largest singular
 * value of W seen as a [rows, cols] matrix (a convolution's [k, k, in, out] kernel as [k·k·in, out]).
 * σ is estimated as vᵀ W u from two vectors that one power iteration per update keeps close to W's
 * top singular vectors, as Σ W ⊙ (v uᵀ): the graph holds u and the outer product v uᵀ as buffers
 * (gradients do not flow into them, as in the paper; and an element-wise product, because M2.1's
 * matmul backward fails on vector operands). {@link #iterate} advances them after each update of W.
 * They are saved with the network's buffers, so a resumed run continues with the same estimate.
 */
public final class SpectralNorm {
  /** A normalised weight, its power-iteration vector u [cols, 1] and the outer product v uᵀ [rows, cols]. */
  public record Layer(String weight, String u, String vu, long rows, long cols) {}

  private static final double EPSILON = 1e-12;

  private SpectralNorm() {}

  /** One power iteration for every layer: v ← W u / ‖W u‖, then u ← Wᵀ v / ‖Wᵀ v‖, and v uᵀ. */
  public static void iterate(Network network, List<Layer> layers) {
    for (Layer l : layers) {
      iterate(network.array(l.weight()), network.array(l.u()), network.array(l.vu()), l.rows(), l.cols());
    }
  }

  static void iterate(INDArray weight, INDArray u, INDArray vu, long rows, long cols) {
    INDArray w = weight.reshape('c', rows, cols);
    INDArray wu = w.mmul(u); // [rows, 1]
    INDArray v = wu.divi(wu.norm2Number().doubleValue() + EPSILON);
    INDArray wtv = w.transpose().mmul(v); // [cols, 1]
    u.assign(wtv.divi(wtv.norm2Number().doubleValue() + EPSILON));
    vu.assign(v.mmul(u.transpose()));
  }

  /** σ as the graph computes it, Σ W ⊙ (v uᵀ) = vᵀ W u. */
  public static double sigma(INDArray weight, INDArray vu, long rows, long cols) {
    return weight.reshape('c', rows, cols).mul(vu).sumNumber().doubleValue();
  }
}
