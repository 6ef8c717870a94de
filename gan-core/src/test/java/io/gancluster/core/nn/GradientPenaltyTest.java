package io.gancluster.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gancluster.core.testing.GradientCheck;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The explicit input gradient and the penalty built on it: against SameDiff's own input gradient,
 * against central finite differences of the penalty in double precision, and in training.
 */
class GradientPenaltyTest {
  private static final String X = "x";

  /** A tiny critic with every layer kind the penalty supports: convolutions (k5 s1, k5 s2, k4 s2, k7 valid), LeakyReLU, reshape, dense. */
  private static SDVariable critic(GraphBuilder g, SDVariable x, boolean denseHead) {
    SDVariable h = g.leakyRelu(g.conv2d("c1", x, 1, 2, 5, 1, true), 0.2);
    h = g.leakyRelu(g.conv2d("c2", h, 2, 3, 5, 2, true), 0.2);
    h = g.leakyRelu(g.conv2d("c3", h, 3, 4, 4, 2, true), 0.2);
    if (denseHead) {
      h = g.leakyRelu(g.dense("f1", g.flatten(h, 4, 7, 7), 4 * 7 * 7, 3, true), 0.2);
      return g.dense("f2", h, 3, 1, true);
    }
    return g.flatten(g.conv2d("c4", h, 4, 1, 7, 1, false), 1, 1, 1);
  }

  private record Built(SameDiff sd, GraphBuilder g, SDVariable explicit, GradientPenalty.Terms terms) {}

  private static Built build(boolean denseHead, double lambda, double initScale) {
    SameDiff sd = SameDiff.create();
    GraphBuilder g = new GraphBuilder(sd, DataType.DOUBLE, 5);
    SDVariable x = sd.placeHolder(X, DataType.DOUBLE, -1, 1, 28, 28);
    g.startTape();
    SDVariable out = critic(g, x, denseHead);
    List<GradientPenalty.Layer> tape = g.endTape();
    for (String p : g.trainableParameters()) {
      sd.getArrForVarName(p).muli(initScale);
    }
    SDVariable explicit = GradientPenalty.inputGradient(sd, tape, out);
    GradientPenalty.Terms terms = GradientPenalty.penalty(sd, explicit, 4, lambda);
    SDVariable loss = terms.penalty().add(out.sum().mul(0.0));
    sd.updateVariableNameAndReference(out, "out");
    sd.updateVariableNameAndReference(loss, "loss");
    sd.setLossVariables("loss");
    return new Built(sd, g, explicit, terms);
  }

  @Test
  void explicitInputGradientEqualsAutodiff() {
    for (boolean denseHead : new boolean[] {true, false}) {
      Built b = build(denseHead, 1.0, 10.0);
      // a second graph on the same weights whose loss is Σ D(x): its autodiff input gradient is the reference
      SDVariable out = b.sd().getVariable("out");
      SDVariable sum = out.sum();
      INDArray x = Nd4j.randn(DataType.DOUBLE, 3, 1, 28, 28);
      INDArray explicit = b.sd().output(Map.of(X, x), b.explicit().name()).get(b.explicit().name());
      b.sd().setLossVariables(sum.name());
      INDArray auto = b.sd().calculateGradients(Map.of(X, x), X).get(X);
      double err = explicit.sub(auto).norm2Number().doubleValue() / auto.norm2Number().doubleValue();
      System.out.printf("explicit ∇x D vs autodiff (%s head): relative error %.2e%n", denseHead ? "dense" : "conv", err);
      assertThat(auto.norm2Number().doubleValue()).isGreaterThan(0);
      assertThat(err).isLessThan(1e-7);
    }
  }

  @Test
  void penaltyParameterGradientMatchesFiniteDifferencesInDouble() {
    Built b = build(true, 10.0, 10.0);
    SameDiff sd = b.sd();
    INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 1, 28, 28).muli(2).subi(1);
    Map<String, INDArray> ph = Map.of(X, x);
    List<String> params = b.g().trainableParameters();
    Map<String, INDArray> grads = sd.calculateGradients(ph, params);
    SplittableRandom rng = new SplittableRandom(7);
    double worst = 0;
    int checked = 0;
    for (String p : params) {
      INDArray param = sd.getArrForVarName(p);
      for (int k = 0; k < 6; k++) {
        long idx = rng.nextLong(param.length());
        double numeric = GradientCheck.centralDifference(param, idx, 1e-6,
            () -> sd.output(ph, b.terms().penalty().name()).get(b.terms().penalty().name()).getDouble(0));
        double analytic = grads.get(p).reshape(param.shape())
            .getDouble(org.nd4j.linalg.api.shape.Shape.ind2subC(param, idx));
        // biases of the last layer do not move the input gradient: true gradient 0, floor the error there
        worst = Math.max(worst, GradientCheck.relativeError(analytic, numeric, 1e-6));
        checked++;
      }
    }
    System.out.printf("gradient penalty ∂/∂θ vs central differences (double, h=1e-6): worst relative error %.2e over %d entries%n",
        worst, checked);
    assertThat(worst).isLessThan(1e-5);
  }

  @Test
  void trainingThePenaltyAloneDrivesGradientNormsToOne() {
    Built b = build(true, 1.0, 5.0);
    SameDiff sd = b.sd();
    sd.setLossVariables(b.terms().penalty().name());
    List<String> params = b.g().trainableParameters();
    Adam adam = new Adam(1e-2);
    Map<String, org.nd4j.linalg.learning.GradientUpdater<?>> updaters = new java.util.HashMap<>();
    for (String p : params) {
      long n = sd.getArrForVarName(p).length();
      updaters.put(p, adam.instantiate(Nd4j.zeros(DataType.DOUBLE, 1, adam.stateSize(n)), true));
    }
    String norm = b.terms().meanNorm().name();
    Nd4j.getRandom().setSeed(3);
    double first = 0;
    double last = 0;
    for (int step = 0; step < 250; step++) {
      INDArray x = Nd4j.rand(DataType.DOUBLE, 8, 1, 28, 28).muli(2).subi(1);
      Map<String, INDArray> grads = sd.calculateGradients(Map.of(X, x), params);
      double n = sd.output(Map.of(X, x), norm).get(norm).getDouble(0);
      if (step == 0) {
        first = n;
      }
      if (step >= 200) {
        last += n / 50;
      }
      for (String p : params) {
        INDArray param = sd.getArrForVarName(p);
        INDArray u = grads.get(p).reshape(param.shape()).dup();
        updaters.get(p).applyUpdater(u, step, 0);
        param.subi(u);
      }
    }
    System.out.printf("penalty alone: mean ‖∇x D‖ %.4f at step 0, %.4f averaged over steps 200-249%n", first, last);
    assertThat(first).isLessThan(0.5);
    assertThat(last).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.1));
  }

  @Test
  void refusesCriticsThatMixSamples() {
    SameDiff sd = SameDiff.create();
    GraphBuilder g = new GraphBuilder(sd, DataType.FLOAT, 1);
    SDVariable x = sd.placeHolder(X, DataType.FLOAT, -1, 4);
    g.startTape();
    SDVariable out = g.dense("d2", g.batchNorm("bn", g.dense("d1", x, 4, 3, true), 3, false), 3, 1, true);
    List<GradientPenalty.Layer> tape = g.endTape();
    assertThatThrownBy(() -> GradientPenalty.inputGradient(sd, tape, out))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch normalisation bn");
  }
}
