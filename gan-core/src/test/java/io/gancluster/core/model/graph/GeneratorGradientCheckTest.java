package io.gancluster.core.model.graph;

import io.gancluster.core.model.recipe.Conditioning;
import io.gancluster.core.model.recipe.ModelSpec;

import static org.assertj.core.api.Assertions.assertThat;

import io.gancluster.core.nn.Network;
import io.gancluster.core.testing.GradientCheck;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The generator's back-propagation of an external image gradient ε (loss = Σ G(z) ⊙ ε), through the
 * hand-written batch norm, upsampling and convolutions, against central finite differences in double.
 */
class GeneratorGradientCheckTest {
  @Test
  void externalGradientBackpropagationMatchesFiniteDifferences() {
    ModelSpec spec = new ModelSpec(Generators.DCGAN_UPSAMPLE, Discriminators.DCGAN_CONV, 4, 4, 2);
    check(spec, Map.of());
  }

  @Test
  void classConditionalBatchNormBackpropagationMatchesFiniteDifferences() {
    ModelSpec spec = ModelSpec.builder(Generators.DCGAN_UPSAMPLE, Discriminators.DCGAN_CONV).zDim(4)
        .generatorWidth(4).discriminatorWidth(2).conditioning(new Conditioning(3,
            Conditioning.GeneratorLabels.CONCAT_CONDITIONAL_BN, Conditioning.DiscriminatorLabels.PROJECTION))
        .build();
    Network g = check(spec, Map.of(Generators.LABEL, Labels.oneHot(new int[] {0, 2, 1}, 3, DataType.DOUBLE)));
    assertThat(g.trainableParameters()).contains("g_bn0_class_gamma", "g_bn1_class_beta");
  }

  /** Randomises the class tables (they start at zero) so their gradients and effect are exercised. */
  private static Network check(ModelSpec spec, Map<String, INDArray> labels) {
    Network g = Generators.build(spec, DataType.DOUBLE, 3);
    Nd4j.getRandom().setSeed(21);
    for (String p : g.trainableParameters()) {
      if (p.contains("_class_")) {
        g.array(p).assign(Nd4j.randn(DataType.DOUBLE, g.array(p).shape()).muli(0.3));
      }
    }
    INDArray z = Nd4j.randn(DataType.DOUBLE, 3, 4);
    INDArray eps = Nd4j.randn(DataType.DOUBLE, 3, 1, 28, 28);
    Map<String, INDArray> phs = new java.util.HashMap<>(Map.of(Generators.Z, z, Generators.GRAD_IMAGE, eps));
    phs.putAll(labels);
    Map<String, INDArray> grads = g.forwardBackward(phs, List.of(Generators.LOSS), g.trainableParameters()).getGradients();

    SplittableRandom rng = new SplittableRandom(11);
    double worst = 0;
    int checked = 0;
    for (String p : g.trainableParameters()) {
      INDArray param = g.array(p);
      for (int k = 0; k < 4; k++) {
        long idx = rng.nextLong(param.length());
        double numeric = GradientCheck.centralDifference(param, idx, 1e-6,
            () -> g.output(phs, Generators.LOSS).get(Generators.LOSS).getDouble(0));
        double analytic = grads.get(p).reshape(param.shape()).getDouble(
            org.nd4j.linalg.api.shape.Shape.ind2subC(param, idx));
        // floor 1e-3: a bias feeding batch norm has true gradient 0, where the difference quotient's
        // round-off (~1e-9 for a loss of order 10 and h = 1e-6) is all there is
        worst = Math.max(worst, GradientCheck.relativeError(analytic, numeric, 1e-3));
        checked++;
      }
    }
    System.out.printf("G back-propagation vs central differences: worst relative error %.2e over %d entries%n",
        worst, checked);
    assertThat(checked).isEqualTo(4 * g.trainableParameters().size());
    assertThat(worst).as("worst relative error over %d parameter entries", checked).isLessThan(1e-5);
    return g;
  }
}
