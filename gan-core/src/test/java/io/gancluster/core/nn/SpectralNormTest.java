package io.gancluster.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gancluster.core.model.graph.Discriminators;
import io.gancluster.core.model.graph.Generators;
import io.gancluster.core.model.recipe.ModelSpec;
import io.gancluster.core.model.recipe.Objective;
import io.gancluster.core.testing.GradientCheck;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

class SpectralNormTest {
  static final ModelSpec SPEC = new ModelSpec(Generators.DCGAN_UPSAMPLE, Discriminators.DCGAN_CONV, 4, 4, 2)
      .withSpectralNorm(true);

  @Test
  void powerIterationFindsTheLargestSingularValue() {
    // diag(3, 2, 1) inside a 5 × 4 matrix: σ = 3; a rank-one a·bᵀ: σ = ‖a‖·‖b‖
    INDArray diag = Nd4j.zeros(DataType.DOUBLE, 5, 4);
    diag.putScalar(0, 1, 2.0);
    diag.putScalar(1, 0, 3.0);
    diag.putScalar(2, 2, 1.0);
    INDArray a = Nd4j.createFromArray(1.0, -2.0, 0.5).reshape(3, 1);
    INDArray b = Nd4j.createFromArray(0.3, 4.0, -1.0, 2.0).reshape(1, 4);
    double[] expected = {3.0, a.norm2Number().doubleValue() * b.norm2Number().doubleValue()};
    INDArray[] matrices = {diag, a.mmul(b)};
    for (int m = 0; m < 2; m++) {
      INDArray w = matrices[m];
      INDArray u = Nd4j.ones(DataType.DOUBLE, w.size(1), 1).divi(Math.sqrt(w.size(1)));
      INDArray vu = Nd4j.zeros(DataType.DOUBLE, w.size(0), w.size(1));
      for (int i = 0; i < 50; i++) {
        SpectralNorm.iterate(w, u, vu, w.size(0), w.size(1));
      }
      assertThat(SpectralNorm.sigma(w, vu, w.size(0), w.size(1))).isCloseTo(expected[m], within(1e-9));
    }
  }

  @Test
  void everyWeightOfTheDiscriminatorIsNormalisedAndItsVectorsAreSavedAsBuffers() {
    Network d = Discriminators.build(SPEC, Objective.of(Objective.Loss.HINGE), Discriminators.Role.GENERATOR_GRADIENT,
        DataType.DOUBLE, 3);
    // dcgan-conv: two convolutions and the output dense layer
    assertThat(d.spectralNorms()).extracting(SpectralNorm.Layer::weight)
        .containsExactly("d_conv1_W", "d_conv2_W", "d_fc_W");
    for (SpectralNorm.Layer l : d.spectralNorms()) {
      assertThat(d.buffers()).contains(l.u(), l.vu());
      assertThat(d.state()).containsKeys(l.u(), l.vu());
    }
    Network plain = Discriminators.build(SPEC.withSpectralNorm(false), Objective.of(Objective.Loss.HINGE),
        Discriminators.Role.GENERATOR_GRADIENT, DataType.DOUBLE, 3);
    assertThat(plain.spectralNorms()).isEmpty();
    assertThat(plain.parameterCount()).isEqualTo(d.parameterCount());
    // same weights, but the normalised D scores differently
    INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 1, 28, 28);
    assertThat(d.output(Map.of(Discriminators.IMAGE, x), Discriminators.SCORE).get(Discriminators.SCORE))
        .isNotEqualTo(plain.output(Map.of(Discriminators.IMAGE, x), Discriminators.SCORE).get(Discriminators.SCORE));
  }

  @Test
  void weightGradientsIncludeTheDependenceOfSigmaOnTheWeights() {
    // central differences in double on the loss, u and v held fixed, against the analytic gradient
    Network d = Discriminators.build(SPEC, Objective.of(Objective.Loss.HINGE), Discriminators.Role.GENERATOR_GRADIENT,
        DataType.DOUBLE, 3);
    Nd4j.getRandom().setSeed(7);
    Map<String, INDArray> feed = Map.of(Discriminators.IMAGE, Nd4j.rand(DataType.DOUBLE, 3, 1, 28, 28).muli(2).subi(1),
        Discriminators.WEIGHT, Nd4j.valueArrayOf(new long[] {3, 1}, 1.0 / 3, DataType.DOUBLE));
    List<String> weights = List.of("d_conv1_W", "d_conv2_W", "d_fc_W");
    OutAndGrad r = d.forwardBackward(feed, List.of(Discriminators.LOSS), weights);
    SplittableRandom rng = new SplittableRandom(5);
    double worst = 0;
    for (String name : weights) {
      INDArray w = d.array(name);
      INDArray analytic = r.getGradients().get(name);
      for (int k = 0; k < 8; k++) {
        long idx = rng.nextLong(w.length());
        double numeric = GradientCheck.centralDifference(w, idx, 1e-6,
            () -> d.output(feed, Discriminators.LOSS).get(Discriminators.LOSS).getDouble(0));
        worst = Math.max(worst, GradientCheck.relativeError(analytic.getDouble(Shape.ind2subC(w, idx)), numeric, 1e-8));
      }
    }
    System.out.printf("spectral norm: dL/dW vs central differences, worst relative error %.2e over 24 weights%n", worst);
    assertThat(worst).isLessThan(1e-5);
  }
}
