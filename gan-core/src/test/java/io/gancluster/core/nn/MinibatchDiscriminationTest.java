package io.gancluster.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gancluster.core.testing.GradientCheck;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Minibatch discrimination: its gradients against central differences in double, the group split
 * used for one-pass concat(real, fake), and the two limiting values of o.
 */
class MinibatchDiscriminationTest {
  private static final int N = 6;
  private static final int IN = 5;
  private static final int KERNELS = 3;
  private static final int KERNEL_DIM = 4;
  private static final String X = "x";
  private static final String OUT = "out";
  private static final String LOSS = "loss";
  private static final String W = "mbd_T_W";

  /** x → layer → out, loss = Σ out ⊙ R; T drawn at scale 0.5 so the L1 distances are of order 1. */
  private static Network layer(int groups) {
    Nd4j.getRandom().setSeed(5);
    SameDiff sd = SameDiff.create();
    GraphBuilder g = new GraphBuilder(sd, DataType.DOUBLE, 7);
    SDVariable x = sd.placeHolder(X, DataType.DOUBLE, -1, IN);
    SDVariable out = MinibatchDiscrimination.apply(g, "mbd", x, IN, KERNELS, KERNEL_DIM, groups).rename(OUT);
    SDVariable r = sd.constant("r", Nd4j.randn(DataType.DOUBLE, N, IN + KERNELS));
    out.mul(r).sum().rename(LOSS);
    sd.setLossVariables(LOSS);
    sd.getArrForVarName(W).assign(Nd4j.randn(DataType.DOUBLE, IN, KERNELS * KERNEL_DIM).muli(0.5));
    return new Network("mbd", g, new long[] {IN}, new long[] {IN + KERNELS}, X);
  }

  private static INDArray output(Network net, INDArray x) {
    return net.output(Map.of(X, x), OUT).get(OUT);
  }

  @Test
  void gradientsWithRespectToWeightsAndInputsMatchCentralDifferences() {
    for (int groups : new int[] {1, 2}) {
      Network net = layer(groups);
      assertThat(net.trainableParameters()).containsExactly(W);
      INDArray x = Nd4j.randn(DataType.DOUBLE, N, IN);
      Map<String, INDArray> phs = Map.of(X, x);
      Map<String, INDArray> grads = net.forwardBackward(phs, List.of(LOSS), List.of(W, X)).getGradients();

      double worst = 0;
      int checked = 0;
      for (String v : List.of(W, X)) {
        INDArray arr = v.equals(X) ? x : net.array(v);
        INDArray grad = grads.get(v).reshape(arr.shape());
        for (long i = 0; i < arr.length(); i++) {
          double numeric = GradientCheck.centralDifference(arr, i, 1e-6,
              () -> net.output(phs, LOSS).get(LOSS).getDouble(0));
          double analytic = grad.getDouble(org.nd4j.linalg.api.shape.Shape.ind2subC(arr, i));
          // round-off in the difference quotient is ~1e-9 absolute (loss of order 10, h = 1e-6)
          worst = Math.max(worst, GradientCheck.relativeError(analytic, numeric, 1e-3));
          checked++;
        }
      }
      System.out.printf("minibatch discrimination (groups=%d) vs central differences: worst relative error %.2e over %d entries%n",
          groups, worst, checked);
      assertThat(checked).isEqualTo(IN * KERNELS * KERNEL_DIM + N * IN);
      assertThat(worst).as("worst relative error, groups=%d", groups).isLessThan(1e-6);
    }
  }

  @Test
  void withTwoGroupsASampleIsOnlyComparedWithItsOwnHalf() {
    Network net = layer(2);
    INDArray x = Nd4j.randn(DataType.DOUBLE, N, IN);
    INDArray before = output(net, x);
    x.getRow(4).addi(1.0);
    INDArray after = output(net, x);

    assertThat(after.get(NDArrayIndex.interval(0, N / 2), NDArrayIndex.all()))
        .isEqualTo(before.get(NDArrayIndex.interval(0, N / 2), NDArrayIndex.all()));
    for (int row : new int[] {3, 5}) {
      assertThat(after.get(NDArrayIndex.point(row), NDArrayIndex.interval(IN, IN + KERNELS))).as("o of row %d", row)
          .isNotEqualTo(before.get(NDArrayIndex.point(row), NDArrayIndex.interval(IN, IN + KERNELS)));
    }
  }

  @Test
  void identicalSamplesScoreOneLessThanTheGroupSizeAndFarApartSamplesScoreZero() {
    for (int groups : new int[] {1, 2}) {
      Network net = layer(groups);
      INDArray same = Nd4j.randn(DataType.DOUBLE, 1, IN).repeat(0, N);
      INDArray o = output(net, same).get(NDArrayIndex.all(), NDArrayIndex.interval(IN, IN + KERNELS));
      for (double v : o.dup().data().asDouble()) {
        assertThat(v).isCloseTo(N / groups - 1, within(1e-12));
      }

      INDArray far = Nd4j.randn(DataType.DOUBLE, N, IN).muli(1e3);
      INDArray out = output(net, far);
      assertThat(out.get(NDArrayIndex.all(), NDArrayIndex.interval(0, IN))).isEqualTo(far);
      for (double v : out.get(NDArrayIndex.all(), NDArrayIndex.interval(IN, IN + KERNELS)).dup().data().asDouble()) {
        assertThat(v).isCloseTo(0.0, within(1e-9));
      }
    }
  }
}
