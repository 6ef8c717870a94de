package io.gancluster.core.eval;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Improved precision and recall (Kynkäänniemi et al., 2019): each set's manifold is the union of
 * balls around its points, each ball reaching the point's k-th nearest neighbour in the same set.
 * Precision is the share of generated points inside the real manifold (fidelity); recall the share of
 * real points inside the generated manifold (diversity).
 */
public final class PrecisionRecall {
  public static final int DEFAULT_K = 3;

  private PrecisionRecall() {}

  public record Result(double precision, double recall) {}

  public static Result of(INDArray real, INDArray fake, int k) {
    INDArray r = real.castTo(DataType.DOUBLE);
    INDArray f = fake.castTo(DataType.DOUBLE);
    if (r.size(0) <= k || f.size(0) <= k) {
      throw new IllegalArgumentException("need more than k=" + k + " points in each set");
    }
    double[] realRadii = kthNeighbourDistances(squaredDistances(r, r), k);
    double[] fakeRadii = kthNeighbourDistances(squaredDistances(f, f), k);
    INDArray cross = squaredDistances(f, r); // [fake, real]
    return new Result(shareInside(cross, realRadii), shareInside(cross.transpose(), fakeRadii));
  }

  /** Share of rows with some column j where d[i, j] <= radius[j]. */
  private static double shareInside(INDArray sq, double[] radii) {
    INDArray rad = Nd4j.createFromArray(radii).reshape(1, radii.length);
    INDArray inside = sq.subRowVector(rad).lte(0.0).castTo(DataType.DOUBLE).max(1);
    return inside.meanNumber().doubleValue();
  }

  /** For each row, the k-th smallest squared distance to another point (the zero to itself skipped). */
  private static double[] kthNeighbourDistances(INDArray sq, int k) {
    int n = (int) sq.size(0);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      double[] row = sq.getRow(i).toDoubleVector();
      row[i] = Double.POSITIVE_INFINITY;
      java.util.Arrays.sort(row);
      out[i] = row[k - 1];
    }
    return out;
  }

  /** ||a_i - b_j||^2 for all pairs, [A, B], clamped at 0 against rounding. */
  static INDArray squaredDistances(INDArray a, INDArray b) {
    INDArray aa = a.mul(a).sum(true, 1);
    INDArray bb = b.mul(b).sum(true, 1).transpose();
    INDArray d = a.mmul(b.transpose()).muli(-2).addiColumnVector(aa).addiRowVector(bb);
    return org.nd4j.linalg.ops.transforms.Transforms.max(d, 0.0, false);
  }
}
