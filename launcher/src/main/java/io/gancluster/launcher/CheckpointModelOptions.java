package io.gancluster.launcher;

import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** How to rebuild a checkpoint's generator: its preset (by default the one it names) and recipe options. */
final class CheckpointModelOptions {
  @Option(names = "--preset", description = "The run's preset. Default: the checkpoint's.")
  String preset;

  @Mixin
  RecipeOptions recipe = new RecipeOptions();

  @Option(names = "--raw-weights", description = "Use G's live weights where the run keeps a moving average "
      + "(--ema-decay), which is used by default.")
  boolean rawWeights;

  CheckpointGenerator load(Path checkpointOrRunFolder) {
    CheckpointGenerator loaded = CheckpointGenerator.load(checkpointOrRunFolder, preset, recipe.toOverrides());
    loaded.generator().sampleRawWeights(rawWeights);
    return loaded;
  }
}
