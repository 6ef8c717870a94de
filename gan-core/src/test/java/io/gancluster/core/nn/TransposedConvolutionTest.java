package io.gancluster.core.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link GraphBuilder#transposedConv2d} is ND4J's deconv2d: in double precision the same values and
 * the same gradients for x and w, for every kernel and stride the networks use and a few more.
 */
class TransposedConvolutionTest {
  private static final int N = 2;
  private static final int IN = 3;
  private static final int OUT = 2;

  /** y and the gradients of Σ y ⊙ e for x and w, by sub-pixel form or by deconv2d. */
  private static Map<String, INDArray> run(boolean subPixel, int kernel, int stride, boolean same, INDArray x,
      INDArray w, INDArray e) {
    SameDiff sd = SameDiff.create();
    SDVariable in = sd.placeHolder("x", DataType.DOUBLE, x.shape());
    SDVariable weights = sd.var("w", w.dup());
    SDVariable y = subPixel ? GraphBuilder.transposedConv2d(sd, in, weights, OUT, IN, kernel, stride, same)
        : sd.cnn().deconv2d(in, weights, GraphBuilder.deconvConfig(kernel, stride, same));
    y.mul(sd.constant("e", e)).sum().rename("loss");
    sd.setLossVariables("loss");
    Network.createGradFunctionQuietly(sd, "x");
    Map<String, INDArray> out = new HashMap<>(
        sd.calculateGradientsAndOutputs(Map.of("x", x), List.of(y.name()), List.of("x", "w")).getGradients());
    out.put("y", sd.output(Map.of("x", x), y.name()).get(y.name()));
    boolean usesDeconv = Arrays.stream(sd.ops()).anyMatch(op -> op.opName().startsWith("deconv2d"));
    out.put("usesDeconv", Nd4j.scalar(usesDeconv ? 1.0 : 0.0));
    return out;
  }

  @ParameterizedTest(name = "kernel {0}, stride {1}, input {2}x{2}")
  @CsvSource({"5, 1, 7", "3, 1, 4", "5, 2, 7", "5, 2, 4", "4, 2, 7", "6, 2, 3", "7, 1, 5", "5, 2, 1"})
  void sameValuesAndGradientsAsDeconv2d(int kernel, int stride, int size) {
    Nd4j.getRandom().setSeed(kernel * 31L + stride * 7L + size);
    INDArray x = Nd4j.randn(DataType.DOUBLE, N, IN, size, size);
    INDArray w = Nd4j.randn(DataType.DOUBLE, kernel, kernel, OUT, IN);
    INDArray e = Nd4j.randn(DataType.DOUBLE, N, OUT, size * stride, size * stride);
    Map<String, INDArray> deconv = run(false, kernel, stride, true, x, w, e);
    Map<String, INDArray> subPixel = run(true, kernel, stride, true, x, w, e);
    assertThat(subPixel.get("usesDeconv").getDouble(0)).as("the sub-pixel form replaced deconv2d").isZero();
    for (String v : List.of("y", "x", "w")) {
      INDArray a = deconv.get(v);
      double scale = a.amaxNumber().doubleValue();
      assertThat(scale).as(v + " is not trivially zero").isGreaterThan(0.1);
      assertThat(a.shape()).as(v).isEqualTo(subPixel.get(v).shape());
      assertThat(a.sub(subPixel.get(v)).amaxNumber().doubleValue()).as(v).isLessThan(1e-12 * scale);
    }
  }

  @Test
  void configurationsWithoutASymmetricFormFallBackToDeconv2d() {
    assertThat(SubPixel.transposedReach(3, 2)).isZero();
    assertThat(SubPixel.transposedReach(4, 1)).isZero();
    Nd4j.getRandom().setSeed(5);
    INDArray x = Nd4j.randn(DataType.DOUBLE, N, IN, 3, 3);
    INDArray w = Nd4j.randn(DataType.DOUBLE, 5, 5, OUT, IN);
    INDArray e = Nd4j.randn(DataType.DOUBLE, N, OUT, 7, 7);
    Map<String, INDArray> valid = run(true, 5, 1, false, x, w, e);
    assertThat(valid.get("usesDeconv").getDouble(0)).isEqualTo(1.0);
    assertThat(valid.get("y").shape()).containsExactly(N, OUT, 7, 7);
  }

  @Test
  void everyKernelTapFeedsEachPhaseAtMostOnceAndEveryTapIsUsed() {
    for (int[] ks : new int[][] {{5, 2}, {4, 2}, {5, 1}}) {
      int kernel = ks[0];
      int stride = ks[1];
      int reach = SubPixel.transposedReach(kernel, stride);
      double[] m = SubPixel.transposedTaps(kernel, stride);
      int rowsPerPhase = reach * reach;
      double[] total = new double[kernel * kernel];
      for (int phase = 0; phase < stride * stride; phase++) {
        for (int tap = 0; tap < kernel * kernel; tap++) {
          double uses = 0;
          for (int r = 0; r < rowsPerPhase; r++) {
            uses += m[(phase * rowsPerPhase + r) * kernel * kernel + tap];
          }
          assertThat(uses).as("kernel %d stride %d phase %d tap %d", kernel, stride, phase, tap).isLessThanOrEqualTo(1.0);
          total[tap] += uses;
        }
      }
      for (double t : total) {
        assertThat(t).as("kernel %d stride %d: each tap lands in exactly one phase", kernel, stride).isEqualTo(1.0);
      }
    }
  }
}
