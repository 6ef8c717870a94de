package io.gancluster.generator.serving;

import io.gancluster.core.checkpoint.Checkpoint;
import io.gancluster.core.checkpoint.CheckpointException;
import io.gancluster.core.checkpoint.CheckpointRecipe;
import io.gancluster.core.checkpoint.CheckpointStore;
import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.model.recipe.Presets;
import io.gancluster.generator.GeneratorTrainer;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * One checkpoint's generator, ready to sample: immutable once built, so a replica swaps versions by
 * swapping the reference, and every batch runs on exactly one version.
 */
public record ServedModel(String version, long step, GeneratorTrainer generator, List<String> labelNames) {

  /** Builds the generator a checkpoint holds from the checkpoint alone (preset, the options that shape G, parameters). */
  public static ServedModel load(String version, byte[] checkpointBytes) {
    Checkpoint c = CheckpointStore.read(version, checkpointBytes);
    String presetName = c.config().get("preset");
    if (presetName == null) {
      throw new CheckpointException(version + ": the checkpoint names no preset");
    }
    Preset preset;
    try {
      preset = CheckpointRecipe.apply(Presets.get(presetName), c.config());
    } catch (IllegalArgumentException | java.util.NoSuchElementException e) {
      throw new CheckpointException(version + ": " + e.getMessage(), e);
    }
    String saved = c.config().get("generator");
    if (saved != null && !CheckpointRecipe.architecture(saved).equals(CheckpointRecipe.architecture(preset.generatorRecipe()))) {
      throw new CheckpointException(version + " holds a generator [" + saved + "] that preset " + presetName
          + " does not build in this version ([" + preset.generatorRecipe() + "])");
    }
    GeneratorTrainer g = new GeneratorTrainer(preset, DataType.FLOAT, 0);
    try {
      g.importState(c.generatorState());
    } catch (RuntimeException e) {
      throw new CheckpointException(version + ": generator state does not load: " + e.getMessage(), e);
    }
    String names = c.config().getOrDefault("label_names", "");
    return new ServedModel(version, c.step(), g, names.isEmpty() ? List.of() : Arrays.asList(names.split(", ")));
  }

  public int classes() {
    return generator.classes();
  }
}
