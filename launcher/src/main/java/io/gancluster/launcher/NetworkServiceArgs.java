package io.gancluster.launcher;

import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.model.recipe.Presets;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options shared by the two network services (their ports differ, so each command has its own). */
final class NetworkServiceArgs {
  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind. Default: ${DEFAULT-VALUE}")
  String host;

  @Option(names = "--preset", defaultValue = "dcgan-mnist-small",
      description = "Model preset; must match the trainer's. Default: ${DEFAULT-VALUE}")
  String preset;

  @Option(names = "--seed", defaultValue = "42", description = "Initial weights' seed. Default: ${DEFAULT-VALUE}")
  long seed;

  @Mixin
  RecipeOptions recipe = new RecipeOptions();

  /** The preset with the command line's changes, as the trainer resolves it too. */
  Preset preset() {
    return recipe.toOverrides().applyTo(Presets.get(preset));
  }
}
