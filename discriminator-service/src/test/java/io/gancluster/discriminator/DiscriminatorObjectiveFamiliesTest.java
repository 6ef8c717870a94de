package io.gancluster.discriminator;

import static io.gancluster.discriminator.DiscriminatorTrainerTest.ACGAN;
import static io.gancluster.discriminator.DiscriminatorTrainerTest.GAN_CLS;
import static io.gancluster.discriminator.DiscriminatorTrainerTest.conditional;
import static io.gancluster.discriminator.DiscriminatorTrainerTest.images;
import static io.gancluster.discriminator.DiscriminatorTrainerTest.preset;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gancluster.core.model.graph.Labels;
import io.gancluster.core.model.recipe.Objective;
import io.gancluster.core.model.recipe.Objective.Loss;
import io.gancluster.core.random.Seeds;
import io.gancluster.discriminator.DiscriminatorTrainer.StepResult;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Each objective family's critic step against another family's on the same freshly initialised D
 * (parameters depend on the seed and their names only), so each test isolates what one family adds.
 */
class DiscriminatorObjectiveFamiliesTest {
  static final long SEED = 5;

  @Test
  void wganGpStepIsTheWassersteinStepPlusANonNegativePenalty() {
    INDArray real = images(31, 4, DataType.DOUBLE);
    INDArray fake = images(32, 4, DataType.DOUBLE);
    StepResult gp = new DiscriminatorTrainer(preset(Objective.of(Loss.WGAN_GP), 1e-3), DataType.DOUBLE, SEED)
        .trainStep(3, real, fake);
    StepResult clip = new DiscriminatorTrainer(preset(Objective.of(Loss.WGAN_CLIP), 1e-3), DataType.DOUBLE, SEED)
        .trainStep(3, real, fake);
    assertThat(gp.penalty()).isNotNegative();
    assertThat(clip.penalty()).as("no penalty without wgan-gp").isNaN();
    assertThat(clip.gradNorm()).isNaN();
    // both critics minimise mean l_fake − mean l_real; the loss is taken before the update (and clipping)
    assertThat(clip.loss()).isCloseTo(-clip.wassersteinEstimate(), within(1e-12));
    assertThat(gp.wassersteinEstimate()).isCloseTo(clip.wassersteinEstimate(), within(1e-12));
    assertThat(gp.loss() - gp.penalty()).isCloseTo(clip.loss(), within(1e-12));
  }

  @Test
  void matchingAwareStepAveragesTheFakeAndTheWrongLabelStepsOfAPlainLabelChannel() {
    INDArray real = images(33, 4, DataType.DOUBLE);
    INDArray fake = images(34, 4, DataType.DOUBLE);
    int[] rl = {6, 0, 3, 3};
    int[] fl = {1, 8, 8, 2};
    int[] wrong = Labels.wrong(rl, 10, Seeds.rng(SEED, Seeds.Stream.WRONG_LABELS, 2));
    for (Objective o : new Objective[] {Objective.of(Loss.LSGAN), Objective.of(Loss.BCE).withRealLabel(0.9)}) {
      double matching = new DiscriminatorTrainer(conditional(GAN_CLS, o.withMatchingAware(true)), DataType.DOUBLE, SEED)
          .trainStep(2, real, rl, fake, fl).loss();
      // L(real) + L(fake), and L(real) + L(real, wrong label), by a D that does not add the wrong pairs itself
      double withFakes = new DiscriminatorTrainer(conditional(GAN_CLS, o), DataType.DOUBLE, SEED)
          .trainStep(2, real, rl, fake, fl).loss();
      double withWrongPairs = new DiscriminatorTrainer(conditional(GAN_CLS, o), DataType.DOUBLE, SEED)
          .trainStep(2, real, rl, real, wrong).loss();
      assertThat(matching).as(o.toString()).isCloseTo(0.5 * (withFakes + withWrongPairs), within(1e-12));
    }
  }

  @Test
  void auxiliaryClassifierLearnsClassesFromRealImagesOnly() {
    INDArray real = images(35, 4, DataType.DOUBLE);
    INDArray fake = images(36, 4, DataType.DOUBLE);
    int[] rl = {2, 7, 7, 4};
    Objective bce = Objective.of(Loss.BCE);
    StepResult acgan = new DiscriminatorTrainer(conditional(ACGAN, bce), DataType.DOUBLE, SEED)
        .trainStep(1, real, rl, fake, new int[] {0, 1, 2, 3});
    StepResult otherFakeLabels = new DiscriminatorTrainer(conditional(ACGAN, bce), DataType.DOUBLE, SEED)
        .trainStep(1, real, rl, fake, new int[] {9, 9, 5, 5});
    StepResult otherRealLabels = new DiscriminatorTrainer(conditional(ACGAN, bce), DataType.DOUBLE, SEED)
        .trainStep(1, real, new int[] {3, 3, 1, 0}, fake, new int[] {0, 1, 2, 3});
    StepResult plain = new DiscriminatorTrainer(conditional(io.gancluster.core.model.recipe.Conditioning.NONE, bce),
        DataType.DOUBLE, SEED).trainStep(1, real, fake);
    assertThat(otherFakeLabels.loss()).as("fake labels carry no class loss").isCloseTo(acgan.loss(), within(1e-12));
    assertThat(otherRealLabels.loss()).as("real labels do").isNotCloseTo(acgan.loss(), within(1e-6));
    // the auxiliary head sits beside the score: the adversarial part is the unconditional D's
    assertThat(acgan.realScore()).isCloseTo(plain.realScore(), within(1e-12));
    assertThat(acgan.fakeScore()).isCloseTo(plain.fakeScore(), within(1e-12));
    assertThat(acgan.loss()).as("plus a positive class loss").isGreaterThan(plain.loss() + 1e-3);
  }
}
