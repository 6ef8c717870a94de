package io.gancluster.core.eval;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fréchet distance between two feature sets, each modelled as a Gaussian (the FID formula, with the
 * evaluator's features in place of Inception's):
 * {@code |mu1 - mu2|^2 + Tr(S1) + Tr(S2) - 2 Tr((S1 S2)^(1/2))}.
 *
 * <p>{@code Tr((S1 S2)^(1/2))} is computed as the sum of square roots of the eigenvalues of the symmetric
 * matrix {@code S1^(1/2) S2 S1^(1/2)} (same spectrum as {@code S1 S2}), with ND4J's LAPACK symmetric
 * eigen-solver, in double precision.
 */
public final class FrechetDistance {
  private FrechetDistance() {}

  /** Mean and covariance (unbiased) of features [N, d]. */
  public record Gaussian(INDArray mean, INDArray covariance) {
    public static Gaussian of(INDArray features) {
      INDArray x = features.castTo(DataType.DOUBLE);
      long n = x.size(0);
      if (n < 2) {
        throw new IllegalArgumentException("a covariance needs 2 or more samples, got " + n);
      }
      INDArray mean = x.mean(0);
      INDArray centred = x.subRowVector(mean);
      INDArray cov = centred.transpose().mmul(centred).divi(n - 1);
      return new Gaussian(mean, cov);
    }
  }

  public static double between(INDArray a, INDArray b) {
    return of(Gaussian.of(a), Gaussian.of(b));
  }

  public static double of(Gaussian p, Gaussian q) {
    double meanTerm = p.mean().sub(q.mean()).norm2Number().doubleValue();
    meanTerm *= meanTerm;
    INDArray sqrtP = symmetricSqrt(p.covariance());
    INDArray inner = sqrtP.mmul(q.covariance()).mmul(sqrtP);
    INDArray symmetric = inner.add(inner.transpose()).muli(0.5); // remove rounding asymmetry before eig
    INDArray eig = Eigen.symmetricGeneralizedEigenvalues(symmetric.dup(), false);
    double traceSqrt = 0;
    for (long i = 0; i < eig.length(); i++) {
      traceSqrt += Math.sqrt(Math.max(0, eig.getDouble(i)));
    }
    double d = meanTerm + trace(p.covariance()) + trace(q.covariance()) - 2 * traceSqrt;
    return Math.max(0, d); // rounding can give -1e-12 for identical inputs
  }

  /** V diag(sqrt(max(l, 0))) V^T of a symmetric positive semi-definite matrix. */
  static INDArray symmetricSqrt(INDArray s) {
    INDArray vectors = s.dup();
    INDArray values = Eigen.symmetricGeneralizedEigenvalues(vectors, true); // vectors now holds eigenvectors
    INDArray roots = Nd4j.create(DataType.DOUBLE, values.length());
    for (long i = 0; i < values.length(); i++) {
      roots.putScalar(i, Math.sqrt(Math.max(0, values.getDouble(i))));
    }
    return vectors.mulRowVector(roots).mmul(vectors.transpose());
  }

  private static double trace(INDArray m) {
    double t = 0;
    for (long i = 0; i < m.rows(); i++) {
      t += m.getDouble(i, i);
    }
    return t;
  }
}
