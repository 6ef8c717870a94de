package io.gancluster.launcher;

import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.model.recipe.Presets;
import io.gancluster.trainer.run.RunConfig;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options that define a training run, shared by demo and train. */
final class RunOptions {
  @Option(names = "--preset", defaultValue = "dcgan-mnist-small",
      description = "Model and hyper-parameters (see `gan presets`). Default: ${DEFAULT-VALUE}")
  String preset;

  @Option(names = "--data",
      description = "mnist (10,000 bundled digits), fashion (Debian dataset-fashion-mnist), or a folder/IDX file "
          + "of your own (e.g. the full MNIST). Default: the preset's (`gan presets` lists it)")
  String data;

  @Option(names = "--seed", defaultValue = "42", description = "Run seed: weights, z, shuffling. Default: ${DEFAULT-VALUE}")
  long seed;

  @Option(names = "--run-dir", description = "Run folder (checkpoints, losses.csv, samples/). "
      + "Default: runs/PRESET. Running again with the same folder resumes.")
  Path runDir;

  @Option(names = "--max-steps", defaultValue = "0", description = "Generator steps to reach (0: the preset's).")
  long maxSteps;

  @Option(names = "--max-minutes", defaultValue = "0",
      description = "Stop cleanly (with a checkpoint) after this many minutes; 0: no limit.")
  double maxMinutes;

  @Mixin
  RecipeOptions recipe = new RecipeOptions();

  @Option(names = "--keep-checkpoints", defaultValue = "3",
      description = "Checkpoints kept in the run folder; a damaged newest one is skipped for the next. "
          + "Default: ${DEFAULT-VALUE}")
  int keepCheckpoints;

  @Option(names = "--log-every", description = "Progress line every N steps. Default: 10, or 100 in a terminal, "
      + "where a progress bar with ETA shows every step")
  Integer logEvery;

  /** Log lines every 10 steps, fewer when a progress bar shows the steps anyway. */
  int logEvery() {
    return logEvery != null ? logEvery : TerminalProgress.interactive() ? 100 : 10;
  }

  /** The data set asked for, else the one the preset was made for (an unknown preset is RunConfig's to refuse). */
  String data() {
    if (data != null) {
      return data;
    }
    Preset p = Presets.all().get(preset);
    return p != null ? p.defaultData() : "mnist";
  }

  RunConfig toConfig() {
    return new RunConfig(preset, data(), seed, runDir != null ? runDir : Path.of("runs", preset), maxSteps, maxMinutes,
        logEvery(), recipe.toOverrides(), keepCheckpoints);
  }
}
