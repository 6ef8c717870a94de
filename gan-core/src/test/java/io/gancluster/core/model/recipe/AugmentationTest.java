package io.gancluster.core.model.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AugmentationTest {
  @Test
  void parsesDiffAugmentPolicyNamesWithOptionalSizes() {
    assertThat(Augmentation.parse("translation,cutout")).isEqualTo(new Augmentation(4, 14));
    assertThat(Augmentation.parse("translation=3")).isEqualTo(new Augmentation(3, 0));
    assertThat(Augmentation.parse(" cutout=10 ")).isEqualTo(new Augmentation(0, 10));
    assertThat(Augmentation.parse("none")).isEqualTo(Augmentation.NONE);
    assertThat(Augmentation.parse(new Augmentation(2, 8).toString())).isEqualTo(new Augmentation(2, 8));
  }

  @Test
  void refusesUnknownPartsAndSizesOutsideTheImage() {
    assertThatThrownBy(() -> Augmentation.parse("color")).hasMessageContaining("unknown part 'color'");
    assertThatThrownBy(() -> Augmentation.parse("translation=x")).hasMessageContaining("not a pixel count");
    assertThatThrownBy(() -> Augmentation.parse("translation=20")).hasMessageContaining("0..13");
  }

  @Test
  void anAugmentationIsPartOfTheObjectiveBothServicesMustAgreeOn() {
    Objective o = Objective.of(Objective.Loss.HINGE).withAugmentation(Augmentation.parse("translation"));
    assertThat(o.toString()).isEqualTo("hinge augment=translation=4");
    Preset p = new PresetOverrides(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, "translation,cutout").applyTo(Presets.get("cgan-projection-cbn"));
    assertThat(p.objective().augmentation()).isEqualTo(new Augmentation(4, 14));
    assertThat(p.discriminatorRecipe()).contains("augment=translation=4,cutout=14");
    // changing the loss keeps the augmentation
    Preset q = new PresetOverrides("bce", null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null).applyTo(p);
    assertThat(q.objective().augmentation()).isEqualTo(new Augmentation(4, 14));
  }
}
