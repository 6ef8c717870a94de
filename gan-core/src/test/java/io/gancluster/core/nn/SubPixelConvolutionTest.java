package io.gancluster.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link GraphBuilder#upsampleConv2d} is conv(upsample(x)) computed in sub-pixel form: same
 * parameters, and in double precision the same values and the same gradients for x, W and b.
 */
class SubPixelConvolutionTest {
  private static final int N = 3;
  private static final int IN = 4;
  private static final int OUT = 3;
  private static final int SIZE = 5;

  /** Outputs and gradients of loss = Σ y ⊙ e for either form, with the same W, b, x and e. */
  private static Map<String, INDArray> run(boolean subPixel, int kernel, INDArray x, INDArray e) {
    SameDiff sd = SameDiff.create();
    GraphBuilder g = new GraphBuilder(sd, DataType.DOUBLE, 11);
    SDVariable in = sd.placeHolder("x", DataType.DOUBLE, -1, IN, SIZE, SIZE);
    SDVariable y = subPixel ? g.upsampleConv2d("c", in, IN, OUT, kernel)
        : g.conv2d("c", g.upsample(in, 2), IN, OUT, kernel, 1, true);
    sd.getArrForVarName("c_b").assign(Nd4j.linspace(-1, 1, OUT, DataType.DOUBLE));
    y.mul(sd.constant("e", e)).sum().rename("loss");
    sd.setLossVariables("loss");
    Network net = new Network("c", g, new long[] {IN, SIZE, SIZE}, new long[] {OUT, 2 * SIZE, 2 * SIZE}, "x");
    assertThat(net.trainableParameters()).containsExactly("c_W", "c_b");
    Map<String, INDArray> out = new java.util.HashMap<>(
        net.forwardBackward(Map.of("x", x), List.of(y.name()), List.of("x", "c_W", "c_b")).getGradients());
    out.put("y", net.output(Map.of("x", x), y.name()).get(y.name()));
    return out;
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 5, 7})
  void valuesAndGradientsEqualUpsampleThenConvolve(int kernel) {
    Nd4j.getRandom().setSeed(3);
    INDArray x = Nd4j.randn(DataType.DOUBLE, N, IN, SIZE, SIZE);
    INDArray e = Nd4j.randn(DataType.DOUBLE, N, OUT, 2 * SIZE, 2 * SIZE);
    Map<String, INDArray> plain = run(false, kernel, x, e);
    Map<String, INDArray> subPixel = run(true, kernel, x, e);
    for (String v : List.of("y", "x", "c_W", "c_b")) {
      INDArray a = plain.get(v);
      double scale = a.amaxNumber().doubleValue();
      assertThat(scale).as(v + " is not trivially zero").isGreaterThan(0.1);
      assertThat(a.sub(subPixel.get(v)).amaxNumber().doubleValue()).as(v + ", kernel " + kernel)
          .isLessThan(1e-12 * scale);
    }
  }

  @Test
  void phaseTapsUseEveryKernelTapOncePerPhase() {
    int kernel = 5;
    double[] m = SubPixel.phaseTaps(kernel);
    int rowsPerPhase = 9;
    for (int phase = 0; phase < 4; phase++) {
      for (int tap = 0; tap < kernel * kernel; tap++) {
        double uses = 0;
        for (int r = 0; r < rowsPerPhase; r++) {
          uses += m[(phase * rowsPerPhase + r) * kernel * kernel + tap];
        }
        assertThat(uses).as("phase %d tap %d", phase, tap).isEqualTo(1.0);
      }
    }
  }

  @Test
  void evenKernelsAreRefused() {
    SameDiff sd = SameDiff.create();
    GraphBuilder g = new GraphBuilder(sd, DataType.DOUBLE, 1);
    SDVariable in = sd.placeHolder("x", DataType.DOUBLE, -1, IN, SIZE, SIZE);
    assertThatThrownBy(() -> g.upsampleConv2d("c", in, IN, OUT, 4)).hasMessageContaining("odd kernel");
  }
}
