package io.gancluster.core.testing;

import java.util.function.DoubleSupplier;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Central finite differences on single entries of a (double precision) array. */
public final class GradientCheck {
  private GradientCheck() {}

  /**
   * dL/da[i] ≈ (L(a[i] + h) − L(a[i] − h)) / 2h, evaluated by perturbing {@code array} in place
   * (restored afterwards). {@code flatIndex} addresses the array in C order.
   */
  public static double centralDifference(INDArray array, long flatIndex, double h, DoubleSupplier loss) {
    long[] sub = org.nd4j.linalg.api.shape.Shape.ind2subC(array, flatIndex);
    double original = array.getDouble(sub);
    array.putScalar(sub, original + h);
    double plus = loss.getAsDouble();
    array.putScalar(sub, original - h);
    double minus = loss.getAsDouble();
    array.putScalar(sub, original);
    return (plus - minus) / (2 * h);
  }

  /** |a − b| / max(|a|, |b|, floor): relative error that stays meaningful near zero. */
  public static double relativeError(double a, double b, double floor) {
    return Math.abs(a - b) / Math.max(Math.max(Math.abs(a), Math.abs(b)), floor);
  }
}
