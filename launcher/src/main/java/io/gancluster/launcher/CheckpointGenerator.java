package io.gancluster.launcher;

import io.gancluster.core.checkpoint.Checkpoint;
import io.gancluster.core.checkpoint.CheckpointChoice;
import io.gancluster.core.checkpoint.CheckpointRecipe;
import io.gancluster.core.checkpoint.CheckpointStore;
import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.model.recipe.PresetOverrides;
import io.gancluster.core.model.recipe.Presets;
import io.gancluster.generator.GeneratorTrainer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A checkpoint's generator, loaded in this JVM without any service: for {@code gan sample} and
 * {@code gan eval}. The preset and the options that shape G (latent, EMA decay) come from the checkpoint
 * unless given, and must build the generator the checkpoint holds.
 */
record CheckpointGenerator(Path file, Checkpoint checkpoint, GeneratorTrainer generator, List<String> labelNames,
    String which) {

  /** @param path a checkpoint file, or a run folder (its best checkpoint, else its newest readable one) */
  static CheckpointGenerator load(Path path, String presetName, PresetOverrides overrides) {
    return load(path, presetName, overrides, CheckpointChoice.BEST);
  }

  /**
   * @param path a checkpoint file, or a run folder
   * @param choice which checkpoint of a run folder
   */
  static CheckpointGenerator load(Path path, String presetName, PresetOverrides overrides, CheckpointChoice choice) {
    CheckpointChoice.Chosen chosen = choice.choose(path);
    Path file = chosen.file();
    Checkpoint c = CheckpointStore.read(file);
    String name = presetName != null ? presetName : c.config().get("preset");
    if (name == null) {
      throw new IllegalArgumentException(file + " names no preset; give --preset");
    }
    // The options given here win; the rest are the run's own, as its checkpoint records them.
    Preset p = overrides.applyTo(CheckpointRecipe.apply(Presets.get(name), c.config()));
    String saved = c.config().get("generator");
    if (saved != null && !CheckpointRecipe.architecture(saved).equals(CheckpointRecipe.architecture(p.generatorRecipe()))) {
      throw new IllegalArgumentException(file + " holds a generator [" + saved + "], but --preset " + name
          + " with these options builds [" + p.generatorRecipe() + "]: give the options the run was trained with");
    }
    GeneratorTrainer g = new GeneratorTrainer(p, DataType.FLOAT, 0);
    g.importState(c.generatorState());
    String namesText = c.config().getOrDefault("label_names", "");
    List<String> names = namesText.isEmpty() ? List.of() : Arrays.asList(namesText.split(", "));
    return new CheckpointGenerator(file, c, g, names, chosen.which());
  }

  /** Which checkpoint this is, in words: "best.zip, step 1540 (the best by in-run evaluation)". */
  String describe() {
    return file.getFileName() + ", step " + checkpoint.step() + " (" + which + ")";
  }

  /** The data spec the run trained on (e.g. mnist, fashion, a path). */
  String data() {
    return checkpoint.config().getOrDefault("data", "mnist");
  }
}
