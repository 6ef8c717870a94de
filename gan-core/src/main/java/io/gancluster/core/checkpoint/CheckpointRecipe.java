package io.gancluster.core.checkpoint;

import io.gancluster.core.model.recipe.Latent;
import io.gancluster.core.model.recipe.Preset;
import java.util.Map;

/**
 * The per-run options that shape a generator (its latent distribution and the EMA decay of its weights),
 * as a checkpoint records them. Serving replicas, {@code gan sample} and {@code gan eval} rebuild the
 * generator from the checkpoint alone; without these a run trained with {@code --ema-decay} on a preset
 * that has none would be served from its raw weights, and evaluated only when told the option again.
 */
public final class CheckpointRecipe {
  static final String LATENT = "latent";
  static final String EMA_DECAY = "ema_decay";
  private static final String GENERATOR = "generator";
  /** How {@link Preset#generatorRecipe()} names the decay; older checkpoints record it only there. */
  private static final String EMA_IN_RECIPE = "; ema ";

  private CheckpointRecipe() {}

  /** Records the options {@code p}'s generator was built with into a checkpoint's config. */
  public static void record(Preset p, Map<String, String> config) {
    config.put(LATENT, p.model().latent().cliName());
    config.put(EMA_DECAY, Double.toString(p.emaDecay()));
  }

  /** {@code p} with the latent distribution and EMA decay of the run that wrote {@code config}, where it says. */
  public static Preset apply(Preset p, Map<String, String> config) {
    Preset out = p;
    String latent = config.get(LATENT);
    if (latent != null) {
      out = out.withModel(out.model().withLatent(Latent.parse(latent)));
    }
    Double decay = emaDecay(config);
    return decay == null ? out : out.withEmaDecay(decay);
  }

  /** The run's EMA decay (0: none), or null where the checkpoint does not say. */
  static Double emaDecay(Map<String, String> config) {
    String saved = config.get(EMA_DECAY);
    String recipe = config.get(GENERATOR);
    try {
      if (saved != null) {
        return Double.parseDouble(saved);
      }
      if (recipe == null) {
        return null;
      }
      int at = recipe.lastIndexOf(EMA_IN_RECIPE);
      return at < 0 ? 0.0 : Double.parseDouble(recipe.substring(at + EMA_IN_RECIPE.length()).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the checkpoint's EMA decay is not a number: "
          + (saved != null ? saved : recipe), e);
    }
  }

  /** A generator recipe's architecture and latent, without the optimiser settings (which sampling does not use). */
  public static String architecture(String generatorRecipe) {
    int cut = generatorRecipe.indexOf(';');
    return cut < 0 ? generatorRecipe : generatorRecipe.substring(0, cut);
  }
}
