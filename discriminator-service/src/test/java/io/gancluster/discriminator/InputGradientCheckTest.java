package io.gancluster.discriminator;

import static org.assertj.core.api.Assertions.assertThat;

import io.gancluster.core.model.Discriminators;
import io.gancluster.core.model.Generators;
import io.gancluster.core.model.ModelSpec;
import io.gancluster.core.testing.GradientCheck;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The tensor the discriminator returns in a G step, dL_G/dx, against central finite differences of
 * L_G in double precision on a tiny discriminator.
 */
class InputGradientCheckTest {
  static final ModelSpec SPEC = new ModelSpec(Generators.DCGAN_UPSAMPLE, Discriminators.DCGAN_CONV, 4, 4, 2);

  /**
   * Step 1e-4: the loss is ~0.7 and pixel gradients ~1e-5, so at h = 1e-6 the difference quotient's
   * round-off (~1e-10) is already 1e-5 relative; the critic is piecewise linear, so a larger step
   * costs no truncation error unless a LeakyReLU kink lies within it.
   */
  static final double H = 1e-4;

  @Test
  void generatorLossImageGradientMatchesFiniteDifferences() {
    DiscriminatorTrainer d = new DiscriminatorTrainer(Discriminators.build(SPEC, DataType.DOUBLE, 5), 1e-3, 0.5, 0.999);
    INDArray fake = Nd4j.rand(DataType.DOUBLE, 3, 1, 28, 28).muli(2).subi(1);
    INDArray analytic = d.generatorGradient(fake).gradImages();
    assertThat(analytic.shape()).containsExactly(3, 1, 28, 28);

    SplittableRandom rng = new SplittableRandom(3);
    double worst = 0;
    for (int k = 0; k < 60; k++) {
      long idx = rng.nextLong(fake.length());
      double numeric = GradientCheck.centralDifference(fake, idx, H, () -> d.generatorGradient(fake).loss());
      double a = analytic.getDouble(org.nd4j.linalg.api.shape.Shape.ind2subC(fake, idx));
      worst = Math.max(worst, GradientCheck.relativeError(a, numeric, 1e-7));
    }
    System.out.printf("dL_G/dx vs central differences: worst relative error %.2e over 60 pixels%n", worst);
    assertThat(worst).as("worst relative error over 60 pixels").isLessThan(1e-5);
    assertThat(d.updates()).as("a G step never updates D").isZero();
  }

  @Test
  void discriminatorStepLowersItsOwnLossOnAFixedBatch() {
    DiscriminatorTrainer d = new DiscriminatorTrainer(Discriminators.build(SPEC, DataType.FLOAT, 5), 1e-2, 0.5, 0.999);
    INDArray real = Nd4j.rand(DataType.FLOAT, 8, 1, 28, 28);
    INDArray fake = Nd4j.rand(DataType.FLOAT, 8, 1, 28, 28).negi();
    double first = d.trainStep(1, real, fake).loss();
    double last = first;
    for (int i = 2; i <= 20; i++) {
      last = d.trainStep(i, real, fake).loss();
    }
    assertThat(last).isLessThan(first * 0.5);
    assertThat(d.updates()).isEqualTo(20);
  }

  @Test
  void repeatedStepIdIsNotAppliedTwice() {
    DiscriminatorTrainer d = new DiscriminatorTrainer(Discriminators.build(SPEC, DataType.FLOAT, 5), 1e-2, 0.5, 0.999);
    INDArray real = Nd4j.rand(DataType.FLOAT, 4, 1, 28, 28);
    INDArray fake = Nd4j.rand(DataType.FLOAT, 4, 1, 28, 28);
    DiscriminatorTrainer.StepResult a = d.trainStep(7, real, fake);
    DiscriminatorTrainer.StepResult b = d.trainStep(7, real, fake);
    assertThat(b).isEqualTo(a);
    assertThat(d.updates()).isEqualTo(1);
  }
}
