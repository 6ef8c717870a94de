package io.gancluster.core.model.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gancluster.core.model.recipe.Objective.Loss;
import org.junit.jupiter.api.Test;

/** Per-run changes to a preset, and the lengths presets derive from epochs. */
class PresetOverridesTest {
  private static PresetOverrides loss(String loss) {
    return new PresetOverrides(loss, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  @Test
  void switchingToWganGpBringsItsDefaultPenaltyWeight() {
    Preset p = loss("wgan-gp").applyTo(Presets.get("dcgan-mnist-small"));
    assertThat(p.objective().loss()).isEqualTo(Loss.WGAN_GP);
    assertThat(p.objective().penaltyWeight()).isEqualTo(Objective.DEFAULT_PENALTY_WEIGHT);
    assertThat(p.discriminatorRecipe()).contains("wgan-gp lambda=10.0");
  }

  @Test
  void optimiserAndScheduleOverridesApplyToTheirOwnNetworkOnly() {
    Preset base = Presets.get("lsgan");
    Preset p = new PresetOverrides(null, 3, null, null, 0.95, true, 16, null, 5e-5, null, 0.5, null, 0.9, "uniform")
        .applyTo(base);
    assertThat(p.criticSteps()).isEqualTo(3);
    assertThat(p.batchSize()).isEqualTo(16);
    assertThat(p.objective().realLabel()).isEqualTo(0.95);
    assertThat(p.objective().featureMatching()).isTrue();
    assertThat(p.discriminatorAdam()).isEqualTo(new AdamSettings(5e-5, 0.5, 0.9));
    assertThat(p.generatorAdam()).isEqualTo(base.generatorAdam());
    assertThat(p.model().latent()).isEqualTo(Latent.UNIFORM);
    assertThat(PresetOverrides.NONE.applyTo(base)).isEqualTo(base);
  }

  @Test
  void impossibleCombinationsNameTheConflict() {
    assertThatThrownBy(() -> loss("wgan-gp").applyTo(Presets.get("infogan-minibatch")))
        .hasMessageContaining("minibatch discrimination");
    assertThatThrownBy(() -> new PresetOverrides(null, null, 5.0, null, null, null, null, null, null, null, null, null,
        null, null).applyTo(Presets.get("lsgan"))).hasMessageContaining("only applies to wgan-gp");
    assertThatThrownBy(() -> loss("hinge").applyTo(Presets.get("tiny")).withObjective(
        Objective.of(Loss.HINGE).withRealLabel(0.9))).hasMessageContaining("label smoothing applies to bce, lsgan and lsgan-sigmoid");
    assertThatThrownBy(() -> new PresetOverrides(null, null, null, null, null, null, null, -1.0, null, null, null,
        null, null, null).applyTo(Presets.get("tiny"))).hasMessageContaining("learning rate > 0");
    assertThatThrownBy(() -> new PresetOverrides(null, null, null, null, null, null, null, null, null, null, null,
        null, null, "cauchy").applyTo(Presets.get("tiny"))).hasMessageContaining("normal or uniform");
  }

  @Test
  void r1IsARecipeOptionShownInTheRecipeStringOnlyWhenOn() {
    Preset demo = Presets.get("cgan-projection-aux");
    Preset p = PresetOverrides.builder().r1Gamma(10.0).build().applyTo(demo);
    assertThat(p.objective().r1Gamma()).isEqualTo(10.0);
    assertThat(p.objective()).hasToString("hinge r1=10");
    assertThat(p.discriminatorRecipe()).isEqualTo(demo.discriminatorRecipe().replace("; hinge;", "; hinge r1=10;"));
    assertThat(Objective.of(Loss.BCE).withR1(0.5).withRealLabel(0.9)).hasToString("bce real-label=0.9 r1=0.5");
    assertThat(Objective.of(Loss.WGAN_GP).withR1(1)).hasToString("wgan-gp lambda=10.0 r1=1");
    // off (absent or 0): the recipe string, and so checkpoints' identity, is what it was
    assertThat(PresetOverrides.builder().r1Gamma(0.0).build().applyTo(demo)).isEqualTo(demo);
    assertThat(PresetOverrides.builder().r1Gamma(0.0).build().applyTo(p).discriminatorRecipe())
        .isEqualTo(demo.discriminatorRecipe());
    assertThat(Objective.of(Loss.HINGE)).hasToString("hinge");
    // another loss keeps it
    assertThat(PresetOverrides.builder().loss("lsgan").build().applyTo(p).objective()).hasToString("lsgan r1=10");
    assertThatThrownBy(() -> PresetOverrides.builder().r1Gamma(-1.0).build().applyTo(demo))
        .hasMessageContaining("R1 weight γ must be a finite number ≥ 0");
    assertThatThrownBy(() -> PresetOverrides.builder().r1Gamma(10.0).build().applyTo(Presets.get("dcgan-upsample")))
        .hasMessageContaining("R1 regularisation does not fit discriminator 'conv3-bn'")
        .hasMessageContaining("batch normalisation d_bn2");
  }

  @Test
  void theClassWeightIsARecipeOptionForADiscriminatorWithAClassHeadOnly() {
    Preset demo = Presets.get("cgan-projection-aux");
    Preset p = PresetOverrides.builder().classWeight(0.25).build().applyTo(demo);
    assertThat(p.objective().classWeight()).isEqualTo(0.25);
    assertThat(p.discriminatorRecipe())
        .isEqualTo(demo.discriminatorRecipe().replace("; hinge;", "; hinge class-weight=0.25;"));
    // the default leaves the recipe, and so checkpoints' identity, as it was; another loss keeps it
    assertThat(PresetOverrides.builder().classWeight(1.0).build().applyTo(demo)).isEqualTo(demo);
    assertThat(PresetOverrides.builder().loss("bce").build().applyTo(p).objective().classWeight()).isEqualTo(0.25);
    assertThat(PresetOverrides.builder().classWeight(0.0).build().applyTo(Presets.get("acgan")).objective())
        .hasToString(Presets.get("acgan").objective() + " class-weight=0");
    assertThatThrownBy(() -> PresetOverrides.builder().classWeight(-0.5).build().applyTo(demo))
        .hasMessageContaining("class weight must be a finite number ≥ 0");
    assertThatThrownBy(() -> PresetOverrides.builder().classWeight(0.5).build().applyTo(Presets.get("cgan-projection")))
        .hasMessageContaining("a class weight applies to a discriminator with a class head")
        .hasMessageEndingWith("not projection");
  }

  @Test
  void theBuilderSetsTheSameComponentsAsThePositionalConstructor() {
    assertThat(PresetOverrides.builder().criticSteps(3).realLabel(0.95).featureMatching(true).batchSize(16)
        .discriminatorLearningRate(5e-5).discriminatorBeta1(0.5).discriminatorBeta2(0.9).latent("uniform").build())
        .isEqualTo(new PresetOverrides(null, 3, null, null, 0.95, true, 16, null, 5e-5, null, 0.5, null, 0.9,
            "uniform"));
    assertThat(PresetOverrides.builder().build()).isEqualTo(PresetOverrides.NONE);
  }

  @Test
  void lengthsGivenInEpochsFollowTheDataSetAndNCritic() {
    Preset p = Presets.get("wgan-gp-transposed");
    // 60,000 images / 128 = 468 batches per epoch; 100 epochs at 5 critic batches per generator step
    assertThat(p.steps(60_000)).isEqualTo(9_360);
    assertThat(p.withCriticSteps(1).steps(60_000)).isEqualTo(46_800);
    assertThat(Presets.get("dcgan-mnist-small").steps(60_000)).isEqualTo(1_600);
  }
}
