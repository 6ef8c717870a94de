package io.gancluster.launcher;

import io.gancluster.core.checkpoint.CheckpointChoice;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How to rebuild a checkpoint's generator: which checkpoint of a run folder, its preset (by default the one it
 * names), recipe options, and whether to sample from the trained weights rather than their moving average.
 */
final class CheckpointModelOptions {
  @Option(names = "--which", paramLabel = "best|latest", defaultValue = "best",
      description = "For a run folder: its best checkpoint by the in-run evaluation (checkpoints/best.zip; the "
          + "newest when there is none), or its latest. Default: ${DEFAULT-VALUE}")
  String which;

  @Option(names = "--preset", description = "The run's preset. Default: the checkpoint's.")
  String preset;

  @Mixin
  RecipeOptions recipe = new RecipeOptions();

  @Option(names = "--raw-weights", description = "Use G's live weights where the run keeps a moving average "
      + "(--ema-decay), which is used by default.")
  boolean rawWeights;

  CheckpointGenerator load(Path checkpointOrRunFolder) {
    CheckpointGenerator loaded = CheckpointGenerator.load(checkpointOrRunFolder, preset, recipe.toOverrides(),
        CheckpointChoice.parse(which));
    loaded.generator().sampleRawWeights(rawWeights);
    return loaded;
  }
}
