package io.gancluster.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gancluster.core.model.recipe.Latent;
import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.model.recipe.Presets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a checkpoint records of the options that shape its generator, and how a reader rebuilds them. */
class CheckpointRecipeTest {
  private static final Preset TINY = Presets.get("tiny");

  private static Map<String, String> recorded(Preset p) {
    Map<String, String> config = new HashMap<>(Map.of("preset", p.name(), "generator", p.generatorRecipe()));
    CheckpointRecipe.record(p, config);
    return config;
  }

  @Test
  void aRunsLatentAndEmaDecayComeBackOnItsPreset() {
    Preset trained = TINY.withEmaDecay(0.995).withModel(TINY.model().withLatent(Latent.UNIFORM));
    Preset rebuilt = CheckpointRecipe.apply(TINY, recorded(trained));
    assertThat(rebuilt.emaDecay()).isEqualTo(0.995);
    assertThat(rebuilt.model().latent()).isEqualTo(Latent.UNIFORM);
    assertThat(rebuilt.generatorRecipe()).isEqualTo(trained.generatorRecipe());
  }

  @Test
  void aRunWithoutAnAverageTurnsOffThePresetsOwn() {
    Preset demo = Presets.get("cgan-projection-aux");
    assertThat(demo.emaDecay()).isPositive();
    Preset trained = demo.withEmaDecay(0);
    assertThat(CheckpointRecipe.apply(demo, recorded(trained)).emaDecay()).isZero();
  }

  @Test
  void olderCheckpointsNameTheDecayOnlyInTheirGeneratorRecipe() {
    Preset trained = TINY.withEmaDecay(0.999);
    Map<String, String> older = Map.of("preset", "tiny", "generator", trained.generatorRecipe(), "latent", "normal");
    assertThat(CheckpointRecipe.apply(TINY, older).emaDecay()).isEqualTo(0.999);
    assertThat(CheckpointRecipe.apply(Presets.get("cgan-projection-aux"),
        Map.of("generator", TINY.generatorRecipe())).emaDecay()).as("a recipe without one: none").isZero();
    assertThat(CheckpointRecipe.apply(trained, Map.of()).emaDecay()).as("nothing recorded: the preset's").isEqualTo(0.999);
  }

  @Test
  void aDamagedDecayIsRefusedNamingIt() {
    assertThatThrownBy(() -> CheckpointRecipe.apply(TINY, Map.of("ema_decay", "0.9x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0.9x");
    assertThat(CheckpointRecipe.architecture(TINY.withEmaDecay(0.9).generatorRecipe()))
        .isEqualTo(CheckpointRecipe.architecture(TINY.generatorRecipe())).doesNotContain(";");
  }
}
