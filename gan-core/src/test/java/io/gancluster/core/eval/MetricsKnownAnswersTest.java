package io.gancluster.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Each metric on a case whose answer is known in closed form. */
class MetricsKnownAnswersTest {

  @Test
  void frechetDistanceOfGaussiansWithCommutingCovariancesIsClosedForm() {
    // same eigenvectors: FD = |mu1 - mu2|^2 + sum (sqrt(a_i) - sqrt(b_i))^2, whatever the rotation
    double[] a = {4, 1, 9};
    double[] b = {1, 1, 16};
    INDArray rotation = rotation(0.7, 0.3);
    INDArray p = rotation.mmul(Nd4j.diag(Nd4j.createFromArray(a))).mmul(rotation.transpose());
    INDArray q = rotation.mmul(Nd4j.diag(Nd4j.createFromArray(b))).mmul(rotation.transpose());
    INDArray mu1 = Nd4j.createFromArray(1.0, 2.0, 3.0);
    INDArray mu2 = Nd4j.createFromArray(1.0, 0.0, 3.0);
    double expected = 4 + (2 - 1) * (2 - 1) + 0 + (3 - 4) * (3 - 4);

    double fd = FrechetDistance.of(new FrechetDistance.Gaussian(mu1, p), new FrechetDistance.Gaussian(mu2, q));

    assertThat(fd).isCloseTo(expected, within(1e-9));
  }

  @Test
  void frechetDistanceOfNonCommutingCovariancesMatchesTheTwoByTwoFormula() {
    // 2x2: Tr sqrt(M) = sqrt(Tr M + 2 sqrt(det M)) for M = P Q with real non-negative eigenvalues
    INDArray p = Nd4j.createFromArray(new double[][] {{2, 1}, {1, 2}});
    INDArray q = Nd4j.createFromArray(new double[][] {{3, 0}, {0, 1}});
    INDArray m = p.mmul(q);
    double trM = m.getDouble(0, 0) + m.getDouble(1, 1);
    double detM = m.getDouble(0, 0) * m.getDouble(1, 1) - m.getDouble(0, 1) * m.getDouble(1, 0);
    double expected = 4 + 4 - 2 * Math.sqrt(trM + 2 * Math.sqrt(detM));
    INDArray zero = Nd4j.zeros(DataType.DOUBLE, 2);

    double fd = FrechetDistance.of(new FrechetDistance.Gaussian(zero, p), new FrechetDistance.Gaussian(zero, q));

    assertThat(fd).isCloseTo(expected, within(1e-9));
  }

  @Test
  void frechetDistanceOfASampleFromItselfIsZeroAndGrowsWithAShift() {
    INDArray x = Nd4j.randn(1L, new long[] {500, 8}).castTo(DataType.DOUBLE);
    assertThat(FrechetDistance.between(x, x)).isCloseTo(0, within(1e-8));
    // shifting every feature by 0.5 adds exactly 8 * 0.25 and leaves the covariance
    assertThat(FrechetDistance.between(x, x.add(0.5))).isCloseTo(2.0, within(1e-8));
  }

  @Test
  void classifierScoreIsTheNumberOfClassesForConfidentEvenPredictionsAndOneForConstantOnes() {
    INDArray even = Nd4j.zeros(DataType.DOUBLE, 40, 4);
    INDArray constant = Nd4j.zeros(DataType.DOUBLE, 40, 4);
    for (int i = 0; i < 40; i++) {
      even.putScalar(i, i % 4, 1.0);
      constant.putScalar(i, 2, 1.0);
    }
    assertThat(ClassMetrics.classifierScore(even)).isCloseTo(4.0, within(1e-6));
    assertThat(ClassMetrics.classifierScore(constant)).isCloseTo(1.0, within(1e-6));
    // uncertain predictions (uniform p(y|x)) score 1 however even the marginal is
    assertThat(ClassMetrics.classifierScore(Nd4j.valueArrayOf(new long[] {10, 4}, 0.25))).isCloseTo(1.0, within(1e-6));
  }

  @Test
  void classHistogramCoverageAndKlFromUniform() {
    int[] balanced = {0, 1, 2, 3, 0, 1, 2, 3};
    int[] collapsed = {2, 2, 2, 2, 2, 2, 2, 2};
    assertThat(ClassMetrics.klFromUniform(ClassMetrics.histogram(balanced, 4))).isCloseTo(0, within(1e-12));
    assertThat(ClassMetrics.coveredClasses(ClassMetrics.histogram(balanced, 4))).isEqualTo(4);
    assertThat(ClassMetrics.klFromUniform(ClassMetrics.histogram(collapsed, 4))).isCloseTo(Math.log(4), within(1e-12));
    assertThat(ClassMetrics.coveredClasses(ClassMetrics.histogram(collapsed, 4))).isEqualTo(1);
    assertThat(ClassMetrics.labelAccuracy(balanced, new int[] {0, 1, 2, 3, 3, 3, 3, 3})).isEqualTo(5 / 8.0);
    assertThat(ClassMetrics.labelAccuracyPerClass(balanced, new int[] {0, 1, 2, 3, 3, 3, 3, 3}, 5))
        .containsExactly(1.0, 1.0, 1.0, 0.4, Double.NaN);
  }

  @Test
  void precisionAndRecallOfTheSameSetAreOneAndOfADistantSetZero() {
    INDArray real = Nd4j.randn(7L, new long[] {300, 5}).castTo(DataType.DOUBLE);
    PrecisionRecall.Result same = PrecisionRecall.of(real, real, 3);
    assertThat(same.precision()).isEqualTo(1.0);
    assertThat(same.recall()).isEqualTo(1.0);
    PrecisionRecall.Result far = PrecisionRecall.of(real, real.add(100), 3);
    assertThat(far.precision()).isZero();
    assertThat(far.recall()).isZero();
  }

  @Test
  void aModeCollapsedSetHasHighPrecisionButLowRecall() {
    // real: two well-separated clusters; fake: only the first one
    INDArray a = Nd4j.randn(3L, new long[] {200, 2}).castTo(DataType.DOUBLE);
    INDArray b = Nd4j.randn(4L, new long[] {200, 2}).castTo(DataType.DOUBLE).add(50);
    INDArray real = Nd4j.concat(0, a, b);
    INDArray fake = Nd4j.randn(5L, new long[] {400, 2}).castTo(DataType.DOUBLE);
    PrecisionRecall.Result r = PrecisionRecall.of(real, fake, 3);
    assertThat(r.precision()).isGreaterThan(0.9);
    assertThat(r.recall()).isBetween(0.4, 0.55);
  }

  private static INDArray rotation(double alpha, double beta) {
    INDArray rz = Nd4j.createFromArray(new double[][] {
        {Math.cos(alpha), -Math.sin(alpha), 0}, {Math.sin(alpha), Math.cos(alpha), 0}, {0, 0, 1}});
    INDArray rx = Nd4j.createFromArray(new double[][] {
        {1, 0, 0}, {0, Math.cos(beta), -Math.sin(beta)}, {0, Math.sin(beta), Math.cos(beta)}});
    return rz.mmul(rx);
  }
}
