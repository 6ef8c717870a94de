package io.gancluster.discriminator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.gancluster.core.model.recipe.AdamSettings;
import io.gancluster.core.model.recipe.Augmentation;
import io.gancluster.core.model.recipe.Conditioning;
import io.gancluster.core.model.graph.Discriminators;
import io.gancluster.core.model.graph.Generators;
import io.gancluster.core.model.recipe.ModelSpec;
import io.gancluster.core.model.recipe.Objective;
import io.gancluster.core.model.recipe.Objective.Loss;
import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.model.recipe.Presets;
import io.gancluster.core.tensor.InvalidTensorException;
import io.gancluster.core.testing.GradientCheck;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The discriminator's two jobs under every objective: its own update (losses, label smoothing,
 * clipping, the gradient penalty, idempotent retries), and the image gradient dL_G/dx it returns,
 * against central finite differences of L_G in double precision on a tiny discriminator.
 */
class DiscriminatorTrainerTest {
  static final ModelSpec SPEC = new ModelSpec(Generators.DCGAN_UPSAMPLE, Discriminators.DCGAN_CONV, 4, 4, 2);

  /**
   * Step 1e-4: the loss is ~0.7 and pixel gradients ~1e-5, so at h = 1e-6 the difference quotient's
   * round-off (~1e-10) is already 1e-5 relative; the critic is piecewise linear, so a larger step
   * costs no truncation error unless a LeakyReLU kink lies within it.
   */
  static final double H = 1e-4;

  static Preset preset(Objective objective, double lr) {
    Preset tiny = Presets.get("tiny");
    return tiny.withModel(SPEC).withObjective(objective).withAdam(tiny.generatorAdam(), new AdamSettings(lr, 0.5));
  }

  static INDArray images(long seed, int n, DataType dt) {
    Nd4j.getRandom().setSeed(seed);
    return Nd4j.rand(dt, n, 1, 28, 28).muli(2).subi(1);
  }

  @Test
  void generatorImageGradientMatchesFiniteDifferencesForEveryObjective() {
    Objective[] objectives = {Objective.of(Loss.BCE), Objective.of(Loss.LSGAN), Objective.of(Loss.LSGAN_SIGMOID),
        Objective.of(Loss.WGAN_GP),
        Objective.of(Loss.HINGE), Objective.of(Loss.BCE).withFeatureMatching(true),
        // through the augmentation: the gradient must come back to the un-augmented pixels
        Objective.of(Loss.HINGE).withAugmentation(new Augmentation(4, 14)),
        Objective.of(Loss.BCE).withFeatureMatching(true).withAugmentation(new Augmentation(3, 0))};
    for (Objective o : objectives) {
      DiscriminatorTrainer d = new DiscriminatorTrainer(preset(o, 1e-3), DataType.DOUBLE, 5);
      checkImageGradient(d, o.toString());
    }
    // and through spectrally normalised weights
    checkImageGradient(new DiscriminatorTrainer(preset(Objective.of(Loss.HINGE), 1e-3)
        .withModel(SPEC.withSpectralNorm(true)), DataType.DOUBLE, 5), "hinge, spectral norm");
  }

  private static void checkImageGradient(DiscriminatorTrainer d, String o) {
    {
      INDArray fake = images(1, 3, DataType.DOUBLE);
      INDArray real = images(2, 3, DataType.DOUBLE);
      INDArray analytic = d.generatorGradient(fake, real).gradImages();
      assertThat(analytic.shape()).containsExactly(3, 1, 28, 28);
      SplittableRandom rng = new SplittableRandom(3);
      double worst = 0;
      for (int k = 0; k < 30; k++) {
        long idx = rng.nextLong(fake.length());
        double numeric = GradientCheck.centralDifference(fake, idx, H, () -> d.generatorGradient(fake, real).loss());
        double a = analytic.getDouble(org.nd4j.linalg.api.shape.Shape.ind2subC(fake, idx));
        worst = Math.max(worst, GradientCheck.relativeError(a, numeric, 1e-7));
      }
      System.out.printf("dL_G/dx (%s) vs central differences: worst relative error %.2e over 30 pixels%n", o, worst);
      assertThat(worst).as("%s: worst relative error over 30 pixels", o).isLessThan(1e-5);
      assertThat(d.updates()).as("a G step never updates D").isZero();
    }
  }

  @Test
  void discriminatorStepLowersItsOwnLossOnAFixedBatch() {
    for (Loss loss : new Loss[] {Loss.BCE, Loss.LSGAN, Loss.LSGAN_SIGMOID, Loss.HINGE, Loss.WGAN_GP}) {
      DiscriminatorTrainer d = new DiscriminatorTrainer(preset(Objective.of(loss), 1e-2), DataType.FLOAT, 5);
      INDArray real = images(3, 8, DataType.FLOAT).addi(0.5);
      INDArray fake = images(4, 8, DataType.FLOAT).subi(0.5);
      DiscriminatorTrainer.StepResult first = d.trainStep(1, real, fake);
      DiscriminatorTrainer.StepResult last = first;
      for (int i = 2; i <= 20; i++) {
        last = d.trainStep(i, real, fake);
      }
      assertThat(last.loss()).as(loss.cliName()).isLessThan(first.loss() - 0.1);
      assertThat(last.wassersteinEstimate()).as(loss.cliName()).isGreaterThan(first.wassersteinEstimate());
      assertThat(d.updates()).isEqualTo(20);
    }
  }

  @Test
  void oneSidedLabelSmoothingMovesOnlyTheRealTarget() {
    INDArray real = images(5, 4, DataType.DOUBLE);
    INDArray fake = images(6, 4, DataType.DOUBLE);
    DiscriminatorTrainer plain = new DiscriminatorTrainer(preset(Objective.of(Loss.BCE), 1e-3), DataType.DOUBLE, 5);
    DiscriminatorTrainer smooth = new DiscriminatorTrainer(
        preset(Objective.of(Loss.BCE).withRealLabel(0.9), 1e-3), DataType.DOUBLE, 5);
    double meanRealLogit = plain.scores(real).meanNumber().doubleValue();
    // L = mean_real [softplus(l) − t·l] + mean_fake softplus(l): lowering t by 0.1 adds 0.1·mean l_real
    double difference = smooth.trainStep(1, real, fake).loss() - plain.trainStep(1, real, fake).loss();
    assertThat(difference).isCloseTo(0.1 * meanRealLogit, within(1e-9));
  }

  @Test
  void weightClippingKeepsEveryParameterWithinTheClipValue() {
    DiscriminatorTrainer d = new DiscriminatorTrainer(preset(Objective.of(Loss.WGAN_CLIP), 5e-2), DataType.FLOAT, 5);
    for (int i = 0; i < 3; i++) {
      d.trainStep(i, images(7 + i, 4, DataType.FLOAT), images(17 + i, 4, DataType.FLOAT));
    }
    for (String p : d.network().trainableParameters()) {
      assertThat(d.network().array(p).amaxNumber().doubleValue()).as(p).isLessThanOrEqualTo(0.01 + 1e-7);
    }
  }

  @Test
  void gradientPenaltyIsReportedAndItsInterpolatesAreReproducible() {
    Preset p = preset(Objective.of(Loss.WGAN_GP), 1e-3);
    INDArray real = images(8, 4, DataType.FLOAT);
    INDArray fake = images(9, 4, DataType.FLOAT);
    DiscriminatorTrainer.StepResult a = new DiscriminatorTrainer(p, DataType.FLOAT, 5).trainStep(3, real, fake);
    DiscriminatorTrainer.StepResult b = new DiscriminatorTrainer(p, DataType.FLOAT, 5).trainStep(3, real, fake);
    DiscriminatorTrainer.StepResult c = new DiscriminatorTrainer(p, DataType.FLOAT, 5).trainStep(4, real, fake);
    assertThat(a.gradNorm()).isPositive();
    // at initialisation ‖∇D‖ ≪ 1, so the penalty is about λ·(1 − ‖∇D‖)²
    assertThat(a.penalty()).isCloseTo(10 * Math.pow(1 - a.gradNorm(), 2), within(0.5));
    assertThat(b).isEqualTo(a);
    assertThat(c.penalty()).as("another step id draws other interpolates").isNotEqualTo(a.penalty());
  }

  /**
   * (γ/2)·mean ‖∇ₓD(x_i)‖² over these images, with ∇ₓD from the generator-gradient graph's own autodiff:
   * under hinge L_G = −mean D(x), so dL_G/dx_i = −∇ₓD(x_i)/n. SameDiff's autodiff input gradient agrees
   * with the explicit one to ~1e-8 in double (GradientPenaltyTest), hence the 1e-7 tolerance below.
   */
  private static double r1ByAutodiff(DiscriminatorTrainer hinge, INDArray images, int[] labels, double gamma) {
    int n = (int) images.size(0);
    INDArray g = hinge.generatorGradient(images, labels, null).gradImages().mul(n);
    return gamma / 2 * g.mul(g).sumNumber().doubleValue() / n;
  }

  @Test
  void r1IsAddedToDsLossOnlyAndReportedThroughThePenaltySlot() {
    INDArray real = images(70, 4, DataType.DOUBLE).muli(3);
    INDArray fake = images(71, 4, DataType.DOUBLE);
    for (Objective o : new Objective[] {Objective.of(Loss.HINGE), Objective.of(Loss.BCE), Objective.of(Loss.WGAN_GP),
        Objective.of(Loss.WGAN_CLIP)}) {
      DiscriminatorTrainer plain = new DiscriminatorTrainer(preset(o, 1e-3), DataType.DOUBLE, 5);
      DiscriminatorTrainer r1 = new DiscriminatorTrainer(preset(o.withR1(10), 1e-3), DataType.DOUBLE, 5);
      double expected = r1ByAutodiff(new DiscriminatorTrainer(preset(Objective.of(Loss.HINGE), 1e-3), DataType.DOUBLE, 5),
          real, null, 10);
      // G's gradient does not see R1
      assertThat(r1.generatorGradient(fake, real).gradImages()).isEqualTo(plain.generatorGradient(fake, real).gradImages());
      DiscriminatorTrainer.StepResult a = plain.trainStep(1, real, fake);
      DiscriminatorTrainer.StepResult b = r1.trainStep(1, real, fake);
      double reported = o.loss() == Loss.WGAN_GP ? b.penalty() - a.penalty() : b.penalty();
      assertThat(reported).as(o.toString()).isCloseTo(expected, within(1e-7 * expected)).isPositive();
      assertThat(b.loss() - a.loss()).as(o.toString()).isCloseTo(reported, within(1e-12));
      assertThat(b.realScore()).isEqualTo(a.realScore());
      if (o.loss() == Loss.WGAN_GP) {
        assertThat(b.gradNorm()).as("wgan-gp's interpolates keep the norm slot").isEqualTo(a.gradNorm());
      } else {
        assertThat(a.penalty()).isNaN();
        assertThat(b.gradNorm()).as(o.toString()).isPositive();
      }
    }
  }

  @Test
  void r1SeesTheAugmentedRealImagesAndTheirLabels() {
    Augmentation translation = new Augmentation(4, 0);
    // the demo's D (projection, class head, spectral norm); the reference without the head (whose term
    // would enter L_G) has the same weights, drawn by name from the seed
    Preset p = conditional(PROJECTION_WITH_CLASS_HEAD, Objective.of(Loss.HINGE).withAugmentation(translation).withR1(10))
        .withModel(SPEC.withConditioning(PROJECTION_WITH_CLASS_HEAD).withSpectralNorm(true));
    Conditioning projection = new Conditioning(10, Conditioning.GeneratorLabels.CONCAT_CONDITIONAL_BN,
        Conditioning.DiscriminatorLabels.PROJECTION);
    Preset demo = conditional(projection, Objective.of(Loss.HINGE))
        .withModel(SPEC.withConditioning(projection).withSpectralNorm(true));
    INDArray real = images(72, 4, DataType.DOUBLE);
    INDArray fake = images(73, 4, DataType.DOUBLE);
    int[] rl = {1, 2, 3, 4};
    int[] fl = {5, 6, 7, 8};
    // the critic step's draw over concat(real, fake); its first rows are the reals D judges
    INDArray seen = io.gancluster.discriminator.augment.AugmentationDraw.draw(translation, 8, 28, 28,
            io.gancluster.core.random.Seeds.rng(5, io.gancluster.core.random.Seeds.Stream.AUGMENT_CRITIC, 9))
        .forward(Nd4j.concat(0, real, fake)).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4));
    double expected = r1ByAutodiff(new DiscriminatorTrainer(demo, DataType.DOUBLE, 5), seen, rl, 10);
    DiscriminatorTrainer d = new DiscriminatorTrainer(p, DataType.DOUBLE, 5);
    DiscriminatorTrainer.StepResult step = d.trainStep(9, real, rl, fake, fl);
    assertThat(step.penalty()).isCloseTo(expected, within(1e-7 * expected)).isPositive();
    assertThat(expected).as("on the un-augmented reals R1 differs")
        .isNotCloseTo(r1ByAutodiff(new DiscriminatorTrainer(demo, DataType.DOUBLE, 5), real, rl, 10), within(1e-3 * expected));
    // a retried step id repeats it exactly
    assertThat(new DiscriminatorTrainer(p, DataType.DOUBLE, 5).trainStep(9, real, rl, fake, fl)).isEqualTo(step);
  }

  @Test
  void featureMatchingLossIsTheSquaredDistanceOfMeanFeatures() {
    DiscriminatorTrainer d = new DiscriminatorTrainer(
        preset(Objective.of(Loss.BCE).withFeatureMatching(true), 1e-3), DataType.DOUBLE, 5);
    INDArray real = images(10, 5, DataType.DOUBLE);
    assertThat(d.generatorGradient(real.dup(), real).loss()).isCloseTo(0.0, within(1e-20));
    assertThat(d.generatorGradient(images(11, 5, DataType.DOUBLE), real).loss()).isPositive();
    assertThatThrownBy(() -> d.generatorGradient(real, null)).isInstanceOf(InvalidTensorException.class)
        .hasMessageContaining("feature matching needs the real batch");
  }

  @Test
  void repeatedStepIdIsNotAppliedTwice() {
    DiscriminatorTrainer d = new DiscriminatorTrainer(preset(Objective.of(Loss.BCE), 1e-2), DataType.FLOAT, 5);
    INDArray real = images(12, 4, DataType.FLOAT);
    INDArray fake = images(13, 4, DataType.FLOAT);
    DiscriminatorTrainer.StepResult a = d.trainStep(7, real, fake);
    DiscriminatorTrainer.StepResult b = d.trainStep(7, real, fake);
    assertThat(b).isEqualTo(a);
    assertThat(d.updates()).isEqualTo(1);
  }

  @Test
  void realAndFakeBatchesOfDifferentSizesAreRefused() {
    DiscriminatorTrainer d = new DiscriminatorTrainer(preset(Objective.of(Loss.BCE), 1e-2), DataType.FLOAT, 5);
    assertThatThrownBy(() -> d.trainStep(1, images(1, 4, DataType.FLOAT), images(2, 3, DataType.FLOAT)))
        .isInstanceOf(InvalidTensorException.class).hasMessageContaining("same shape");
  }

  @Test
  void batchNormInTheDiscriminatorTreatsRealAndFakeHalvesSeparately() {
    // conv3-bn normalises each half by its own statistics, so D's scores on the real half must not depend
    // on the fakes, and must equal a pass over the reals alone
    ModelSpec bn = new ModelSpec(Generators.DCGAN_UPSAMPLE, Discriminators.CONV3_BN, 4, 4, 2);
    Preset p = preset(Objective.of(Loss.LSGAN), 1e-3).withModel(bn);
    INDArray real = images(14, 4, DataType.DOUBLE);
    double a = new DiscriminatorTrainer(p, DataType.DOUBLE, 5).trainStep(1, real, images(15, 4, DataType.DOUBLE))
        .realScore();
    double b = new DiscriminatorTrainer(p, DataType.DOUBLE, 5).trainStep(1, real, images(16, 4, DataType.DOUBLE))
        .realScore();
    double alone = new DiscriminatorTrainer(p, DataType.DOUBLE, 5).scores(real).meanNumber().doubleValue();
    assertThat(a).isCloseTo(b, within(1e-12)).isCloseTo(alone, within(1e-12));
  }

  static final Conditioning ACGAN = new Conditioning(10, Conditioning.GeneratorLabels.MULTIPLY,
      Conditioning.DiscriminatorLabels.AUXILIARY);
  static final Conditioning PROJECTION_WITH_CLASS_HEAD = new Conditioning(10,
      Conditioning.GeneratorLabels.CONCAT_CONDITIONAL_BN, Conditioning.DiscriminatorLabels.PROJECTION_AUXILIARY);
  static final Conditioning GAN_CLS = new Conditioning(10, Conditioning.GeneratorLabels.CONCAT,
      Conditioning.DiscriminatorLabels.INPUT_CHANNEL);

  static Preset conditional(Conditioning c, Objective o) {
    Preset tiny = Presets.get("tiny");
    return tiny.withModel(SPEC.withConditioning(c)).withObjective(o)
        .withAdam(tiny.generatorAdam(), new AdamSettings(1e-3, 0.5));
  }

  @Test
  void conditionalImageGradientsMatchFiniteDifferences() {
    Preset[] presets = {conditional(ACGAN, Objective.of(Loss.BCE)),
        conditional(PROJECTION_WITH_CLASS_HEAD, Objective.of(Loss.HINGE)),
        conditional(PROJECTION_WITH_CLASS_HEAD, Objective.of(Loss.HINGE).withClassWeight(0.25)),
        conditional(GAN_CLS, Objective.of(Loss.LSGAN).withMatchingAware(true))};
    int[] labels = {3, 0, 9};
    for (Preset p : presets) {
      DiscriminatorTrainer d = new DiscriminatorTrainer(p, DataType.DOUBLE, 5);
      INDArray fake = images(21, 3, DataType.DOUBLE);
      INDArray analytic = d.generatorGradient(fake, labels, null).gradImages();
      SplittableRandom rng = new SplittableRandom(4);
      double worst = 0;
      for (int k = 0; k < 20; k++) {
        long idx = rng.nextLong(fake.length());
        double numeric = GradientCheck.centralDifference(fake, idx, H, () -> d.generatorGradient(fake, labels, null).loss());
        double a = analytic.getDouble(org.nd4j.linalg.api.shape.Shape.ind2subC(fake, idx));
        worst = Math.max(worst, GradientCheck.relativeError(a, numeric, 1e-7));
      }
      System.out.printf("dL_G/dx (%s) vs central differences: worst relative error %.2e over 20 pixels%n",
          p.discriminatorRecipe(), worst);
      assertThat(worst).as(p.discriminatorRecipe()).isLessThan(1e-5);
      // the label matters: another label, another loss
      assertThat(d.generatorGradient(fake, new int[] {4, 1, 2}, null).loss()).isNotEqualTo(
          d.generatorGradient(fake, labels, null).loss());
    }
  }

  @Test
  void spectralNormStateResumesExactly() {
    Preset p = preset(Objective.of(Loss.HINGE), 1e-3).withModel(SPEC.withSpectralNorm(true));
    DiscriminatorTrainer a = new DiscriminatorTrainer(p, DataType.DOUBLE, 5);
    for (int step = 1; step <= 3; step++) {
      a.trainStep(step, images(40 + step, 4, DataType.DOUBLE), images(50 + step, 4, DataType.DOUBLE));
    }
    DiscriminatorTrainer b = new DiscriminatorTrainer(p, DataType.DOUBLE, 6); // another seed: another u
    b.importState(a.exportState());
    INDArray real = images(60, 4, DataType.DOUBLE);
    INDArray fake = images(61, 4, DataType.DOUBLE);
    assertThat(b.trainStep(4, real, fake).loss()).isEqualTo(a.trainStep(4, real, fake).loss());
    for (io.gancluster.core.nn.SpectralNorm.Layer l : a.network().spectralNorms()) {
      assertThat(b.network().array(l.u())).isEqualTo(a.network().array(l.u()));
      assertThat(b.network().array(l.vu())).isEqualTo(a.network().array(l.vu()));
    }
    // the power iteration moved u since the start
    DiscriminatorTrainer fresh = new DiscriminatorTrainer(p, DataType.DOUBLE, 5);
    String u = fresh.network().spectralNorms().get(0).u();
    assertThat(a.network().array(u)).isNotEqualTo(fresh.network().array(u));
  }

  @Test
  void augmentedStepsDrawFromTheStepIdSoARetryOrAResumeSeesTheSameImages() {
    Preset p = preset(Objective.of(Loss.HINGE).withAugmentation(new Augmentation(4, 14)), 1e-3);
    INDArray real = images(30, 4, DataType.DOUBLE);
    INDArray fake = images(31, 4, DataType.DOUBLE);
    double first = new DiscriminatorTrainer(p, DataType.DOUBLE, 5).trainStep(7, real, fake).loss();
    double again = new DiscriminatorTrainer(p, DataType.DOUBLE, 5).trainStep(7, real, fake).loss();
    double otherStep = new DiscriminatorTrainer(p, DataType.DOUBLE, 5).trainStep(8, real, fake).loss();
    double plain = new DiscriminatorTrainer(preset(Objective.of(Loss.HINGE), 1e-3), DataType.DOUBLE, 5)
        .trainStep(7, real, fake).loss();
    assertThat(again).isEqualTo(first);
    assertThat(otherStep).isNotEqualTo(first);
    assertThat(plain).isNotEqualTo(first);
    // the generator's gradient: same step id, same answer; another, another draw
    DiscriminatorTrainer d = new DiscriminatorTrainer(p, DataType.DOUBLE, 5);
    assertThat(d.generatorGradient(3, fake, null, null).gradImages())
        .isEqualTo(d.generatorGradient(3, fake, null, null).gradImages())
        .isNotEqualTo(d.generatorGradient(4, fake, null, null).gradImages());
  }

  @Test
  void theClassWeightScalesOnlyTheClassHeadsTermInGsLoss() {
    INDArray real = images(24, 4, DataType.DOUBLE);
    INDArray fake = images(25, 4, DataType.DOUBLE);
    int[] rl = {1, 2, 3, 4};
    int[] fl = {7, 7, 0, 5};
    for (Conditioning c : new Conditioning[] {ACGAN, PROJECTION_WITH_CLASS_HEAD}) {
      Objective o = Objective.of(Loss.HINGE);
      DiscriminatorTrainer none = new DiscriminatorTrainer(conditional(c, o.withClassWeight(0)), DataType.DOUBLE, 5);
      DiscriminatorTrainer quarter =
          new DiscriminatorTrainer(conditional(c, o.withClassWeight(0.25)), DataType.DOUBLE, 5);
      DiscriminatorTrainer full = new DiscriminatorTrainer(conditional(c, o), DataType.DOUBLE, 5);
      // G's loss is adversarial + w · class term, so at w = 1/4 its gradient lies a quarter of the way from w = 0 to 1
      INDArray g0 = none.generatorGradient(fake, fl, null).gradImages();
      INDArray g1 = full.generatorGradient(fake, fl, null).gradImages();
      INDArray expected = g0.add(g1.sub(g0).muli(0.25));
      assertThat(g1.equalsWithEps(g0, 1e-6)).as(c.discriminator().name()).isFalse();
      assertThat(quarter.generatorGradient(fake, fl, null).gradImages().equalsWithEps(expected, 1e-12))
          .as(c.discriminator().name()).isTrue();
      // D's own step does not use the weight
      assertThat(quarter.trainStep(1, real, rl, fake, fl).loss())
          .isEqualTo(full.trainStep(1, real, rl, fake, fl).loss());
      assertThat(quarter.network().array(quarter.network().trainableParameters().get(0)))
          .isEqualTo(full.network().array(full.network().trainableParameters().get(0)));
    }
  }

  @Test
  void matchingAwareStepAlsoJudgesRealImagesWithWrongLabelsAsFake() {
    Preset p = conditional(GAN_CLS, Objective.of(Loss.LSGAN).withMatchingAware(true));
    DiscriminatorTrainer d = new DiscriminatorTrainer(p, DataType.DOUBLE, 5);
    INDArray real = images(22, 4, DataType.DOUBLE);
    INDArray fake = images(23, 4, DataType.DOUBLE);
    int[] rl = {1, 2, 3, 4};
    int[] fl = {7, 7, 0, 5};
    int[] wrong = io.gancluster.core.model.graph.Labels.wrong(rl, 10,
        io.gancluster.core.random.Seeds.rng(5, io.gancluster.core.random.Seeds.Stream.WRONG_LABELS, 6));
    for (int i = 0; i < rl.length; i++) {
      assertThat(wrong[i]).isNotEqualTo(rl[i]).isBetween(0, 9);
    }
    double dr = d.scores(real, rl).sub(1).muli(d.scores(real, rl).sub(1)).meanNumber().doubleValue();
    double df = d.scores(fake, fl).mul(d.scores(fake, fl)).meanNumber().doubleValue();
    double dw = d.scores(real, wrong).mul(d.scores(real, wrong)).meanNumber().doubleValue();
    // GAN-cls's reference recipe: L_D = [(d_r − 1)² + (d_f² + d_w²)/2] / 2, as batch means
    double expected = 0.5 * dr + 0.25 * df + 0.25 * dw;
    assertThat(d.trainStep(6, real, rl, fake, fl).loss()).isCloseTo(expected, within(1e-12));
  }

  @Test
  void labelsAreCheckedAgainstTheModelsClasses() {
    DiscriminatorTrainer conditional = new DiscriminatorTrainer(conditional(ACGAN, Objective.of(Loss.BCE)),
        DataType.FLOAT, 5);
    INDArray x = images(24, 2, DataType.FLOAT);
    assertThatThrownBy(() -> conditional.trainStep(1, x, new int[] {0, 10}, x, new int[] {1, 2}))
        .isInstanceOf(InvalidTensorException.class).hasMessageContaining("label 10")
        .hasMessageContaining("valid labels are 0..9");
    assertThatThrownBy(() -> conditional.generatorGradient(x, null, null))
        .isInstanceOf(InvalidTensorException.class).hasMessageContaining("one label per image");
    DiscriminatorTrainer plain = new DiscriminatorTrainer(preset(Objective.of(Loss.BCE), 1e-3), DataType.FLOAT, 5);
    assertThatThrownBy(() -> plain.generatorGradient(x, new int[] {1, 2}, null))
        .isInstanceOf(InvalidTensorException.class).hasMessageContaining("unconditional");
  }
}
