package io.gancluster.launcher;

import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.model.recipe.Presets;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Lists the built-in presets, one line each. */
@Command(name = "presets", mixinStandardHelpOptions = true,
    description = {"List the built-in presets, one per line: name, loss, batch, n_critic, z, length, summary.",
        "docs/presets.md says where each comes from and what differs from its source."})
final class PresetsCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    int nameWidth = Presets.all().keySet().stream().mapToInt(String::length).max().orElse(1);
    for (Preset p : Presets.all().values()) {
      String length = p.maxSteps() > 0 ? p.maxSteps() + " steps" : fmt(p.epochs()) + " epochs";
      spec.commandLine().getOut().printf(Locale.ROOT, "%-" + nameWidth + "s %-13s batch %-3d n_critic %d  z %-3d %-7s %-11s %-7s %s%n",
          p.name(), p.objective().loss().cliName(), p.batchSize(), p.criticSteps(), p.model().zDim(),
          p.model().latent().cliName(), length, p.defaultData(), p.summary());
    }
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
