package io.gancluster.trainer.run;

import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.model.recipe.PresetOverrides;
import io.gancluster.core.model.recipe.Presets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One training run: which preset, on which data, with which seed, where its files go, and how long
 * it may take. Stored in every checkpoint so that a resumed run is the same run.
 *
 * @param maxSteps generator steps to reach (0: the preset's)
 * @param maxMinutes wall-clock budget for this invocation (0: none); the run stops cleanly with a checkpoint
 */
public record RunConfig(String preset, String data, long seed, Path runDir, long maxSteps, double maxMinutes,
    int logEvery, PresetOverrides overrides, int keepCheckpoints) {

  public static final long DEFAULT_SEED = 42;
  /** Checkpoints kept in the run folder: the newest, and older ones to fall back on if it is damaged. */
  public static final int DEFAULT_KEEP_CHECKPOINTS = 3;

  public RunConfig {
    if (maxSteps < 0 || maxMinutes < 0 || logEvery < 1) {
      throw new IllegalArgumentException("max steps and minutes must be >= 0, log interval >= 1");
    }
    if (keepCheckpoints < 1) {
      throw new IllegalArgumentException("keep at least 1 checkpoint, got " + keepCheckpoints);
    }
    overrides = overrides == null ? PresetOverrides.NONE : overrides;
    overrides.applyTo(Presets.get(preset)); // fails early: unknown preset (naming the known ones), bad combination
  }

  public RunConfig(String preset, String data, long seed, Path runDir, long maxSteps, double maxMinutes, int logEvery,
      PresetOverrides overrides) {
    this(preset, data, seed, runDir, maxSteps, maxMinutes, logEvery, overrides, DEFAULT_KEEP_CHECKPOINTS);
  }

  public RunConfig(String preset, String data, long seed, Path runDir, long maxSteps, double maxMinutes, int logEvery) {
    this(preset, data, seed, runDir, maxSteps, maxMinutes, logEvery, PresetOverrides.NONE);
  }

  /** The preset with this run's overrides applied. */
  public Preset resolvedPreset() {
    Preset p = overrides.applyTo(Presets.get(preset));
    return maxSteps > 0 ? p.withMaxSteps(maxSteps) : p;
  }

  /** What must match between a checkpoint and the run resuming from it. */
  public Map<String, String> identity() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("preset", preset);
    m.put("seed", Long.toString(seed));
    m.put("data", data);
    Preset p = resolvedPreset();
    m.put("generator", p.generatorRecipe());
    m.put("discriminator", p.discriminatorRecipe());
    m.put("critic_steps", Integer.toString(p.criticSteps()));
    m.put("batch_size", Integer.toString(p.batchSize()));
    return m;
  }
}
