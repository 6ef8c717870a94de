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

  CheckpointGenerator load(Path checkpointOrRunFolder) {
    return CheckpointGenerator.load(checkpointOrRunFolder, preset, recipe.toOverrides());
  }
}
