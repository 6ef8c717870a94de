package io.gancluster.launcher;

import io.gancluster.core.model.Preset;
import io.gancluster.core.model.Presets;
import picocli.CommandLine.Command;

/** Lists the built-in presets. */
@Command(name = "presets", mixinStandardHelpOptions = true, description = "List the built-in presets, one per line.")
final class PresetsCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    for (Preset p : Presets.all().values()) {
      spec.commandLine().getOut().printf("%-20s %s (batch %d, %d steps, z %d)%n", p.name(), p.summary(), p.batchSize(), p.maxSteps(),
          p.model().zDim());
    }
  }
}
