package io.gancluster.core.model.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gancluster.core.model.graph.Discriminators;
import io.gancluster.core.model.graph.Generators;
import io.gancluster.core.model.recipe.Objective.Loss;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Presets built by named components, and the copies the {@code withX} methods make. */
class PresetBuilderTest {
  private static Preset.Builder complete() {
    return Preset.builder("test")
        .summary("s").source("-")
        .model(ModelSpec.builder(Generators.DCGAN_UPSAMPLE, Discriminators.DCGAN_CONV)
            .zDim(8).generatorWidth(8).discriminatorWidth(4).build())
        .objective(Objective.of(Loss.BCE))
        .generatorAdam(new AdamSettings(1e-3, 0.5)).discriminatorAdam(new AdamSettings(1e-3, 0.5))
        .batchSize(8).criticSteps(1).maxSteps(20).sampleEvery(10).checkpointEvery(10).defaultData("mnist");
  }

  @Test
  void everyPresetRebuiltFromItsBuilderEqualsItself() {
    assertThat(Presets.all().values()).isNotEmpty().allSatisfy(p -> assertThat(p.toBuilder().build()).isEqualTo(p));
  }

  @Test
  void everyPresetsSourceNamesItsOriginInUserTermsNotAnInternalDocument() {
    assertThat(Presets.all().values()).allSatisfy(p -> assertThat(p.source())
        .as(p.name()).doesNotContainPattern("(?i)\\bseed \\d|\\bissue \\d|walking skeleton"));
    assertThat(Presets.all().values()).filteredOn(p -> !p.name().equals("tiny"))
        .allSatisfy(p -> assertThat(p.source()).as(p.name()).containsPattern("et al\\. \\d{4}|Miyato & Koyama|Mirza & Osindero"));
  }

  @Test
  void ganClsDiffersFromTheReferenceRecipeOnlyInAdamsBeta1AndRunLength() {
    Preset fixed = Presets.get("gan-cls");
    Preset reference = Presets.get("gan-cls-reference");
    assertThat(reference.generatorAdam().beta1()).isEqualTo(0.9);
    assertThat(reference.discriminatorAdam().beta1()).isEqualTo(0.9);
    assertThat(reference.epochs()).isEqualTo(3.0);
    assertThat(fixed.generatorAdam().beta1()).isEqualTo(0.5);
    assertThat(fixed.discriminatorAdam().beta1()).isEqualTo(0.5);
    assertThat(fixed.model()).isEqualTo(reference.model());
    assertThat(fixed.objective()).isEqualTo(reference.objective());
    assertThat(fixed.generatorAdam().learningRate()).isEqualTo(reference.generatorAdam().learningRate());
    assertThat(fixed.discriminatorAdam().learningRate()).isEqualTo(reference.discriminatorAdam().learningRate());
    assertThat(List.of(fixed.batchSize(), fixed.criticSteps(), fixed.defaultData()))
        .isEqualTo(List.of(reference.batchSize(), reference.criticSteps(), reference.defaultData()));
  }

  @Test
  void theFashionVariantsOfTheLabelChannelCgansChangeOnlyLengthDataAndMultiplysLoss() {
    for (String base : List.of("cgan-concat", "cgan-multiply")) {
      Preset b = Presets.get(base);
      Preset f = Presets.get(base + "-fashion");
      assertThat(f.defaultData()).as(f.name()).isEqualTo("fashion");
      assertThat(f.maxSteps()).as(f.name()).isEqualTo(2 * b.maxSteps());
      Preset backToBase = f.toBuilder(base).summary(b.summary()).objective(b.objective())
          .maxSteps(b.maxSteps()).defaultData(b.defaultData()).build();
      assertThat(backToBase).as(f.name()).isEqualTo(b);
    }
    assertThat(Presets.get("cgan-concat-fashion").objective()).isEqualTo(Presets.get("cgan-concat").objective());
    assertThat(Presets.get("cgan-multiply-fashion").objective()).isEqualTo(Objective.of(Loss.HINGE));
    assertThat(Presets.get("cgan-multiply-fashion").summary()).contains("hinge loss", "3200 steps");
  }

  @Test
  void eachWithMethodChangesOnlyItsOwnComponents() {
    Preset p = Presets.get("lsgan");
    AdamSettings g = new AdamSettings(5e-4, 0.0);
    AdamSettings d = new AdamSettings(5e-5, 0.9, 0.99);
    assertThat(p.withMaxSteps(77)).isEqualTo(p.toBuilder().maxSteps(77).build())
        .extracting(Preset::maxSteps, Preset::epochs, Preset::batchSize).containsExactly(77L, 3.0, 64);
    assertThat(p.withBatchSize(16)).isEqualTo(p.toBuilder().batchSize(16).build());
    assertThat(p.withCriticSteps(4)).isEqualTo(p.toBuilder().criticSteps(4).build());
    assertThat(p.withObjective(Objective.of(Loss.BCE))).isEqualTo(p.toBuilder().objective(Objective.of(Loss.BCE)).build());
    assertThat(p.withAdam(g, d)).isEqualTo(p.toBuilder().generatorAdam(g).discriminatorAdam(d).build());
    assertThat(p.withModel(p.model().withLatent(Latent.UNIFORM)).model().latent()).isEqualTo(Latent.UNIFORM);
    assertThat(p.withIntervals(7, 9)).extracting(Preset::sampleEvery, Preset::checkpointEvery, Preset::name)
        .containsExactly(7, 9, "lsgan");
  }

  @Test
  void theBuilderRefusesAMissingComponentNamingItAndThePreset() {
    assertThatThrownBy(() -> complete().defaultData(null).build())
        .isInstanceOf(IllegalStateException.class).hasMessage("preset test: defaultData is not set");
    assertThatThrownBy(() -> Preset.builder("half").summary("s").source("-").build())
        .isInstanceOf(IllegalStateException.class).hasMessage("preset half: model is not set");
    Preset.Builder noBatch = Preset.builder("no-batch");
    Preset p = complete().build();
    noBatch.summary(p.summary()).source(p.source()).model(p.model()).objective(p.objective())
        .generatorAdam(p.generatorAdam()).discriminatorAdam(p.discriminatorAdam()).criticSteps(1).maxSteps(20)
        .sampleEvery(10).checkpointEvery(10).defaultData("mnist");
    assertThatThrownBy(noBatch::build).hasMessage("preset no-batch: batchSize is not set");
  }

  @Test
  void theRecordStillChecksWhatTheBuilderAssembles() {
    assertThatThrownBy(() -> complete().criticSteps(0).build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("preset test: critic steps and intervals must be positive");
    assertThatThrownBy(() -> complete().batchSize(1).build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("preset test: batch size must be at least 2 (batch statistics), got 1");
    assertThatThrownBy(() -> complete().maxSteps(0).build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("preset test: give epochs or a step count");
    assertThat(complete().maxSteps(0).epochs(2).build().steps(80)).isEqualTo(20);
  }

  @Test
  void aModelSpecBuiltByNameEqualsThePositionalOneWithNormalLatentAndNoLabels() {
    assertThat(ModelSpec.builder(Generators.MLP, Discriminators.MLP).zDim(100).generatorWidth(256)
        .discriminatorWidth(128).build())
        .isEqualTo(new ModelSpec(Generators.MLP, Discriminators.MLP, 100, Latent.NORMAL, 256, 128, Conditioning.NONE));
    assertThatThrownBy(() -> ModelSpec.builder(Generators.MLP, Discriminators.MLP).zDim(100).build())
        .hasMessage("zDim and widths must be positive");
  }
}
