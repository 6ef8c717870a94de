package io.gancluster.trainer.run;

import io.gancluster.core.model.Preset;
import io.gancluster.core.model.Presets;
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
    int logEvery) {

  public static final long DEFAULT_SEED = 42;

  public RunConfig {
    Presets.get(preset); // fails early, naming the known presets
    if (maxSteps < 0 || maxMinutes < 0 || logEvery < 1) {
      throw new IllegalArgumentException("max steps and minutes must be >= 0, log interval >= 1");
    }
  }

  /** The preset with this run's overrides applied. */
  public Preset resolvedPreset() {
    Preset p = Presets.get(preset);
    return maxSteps > 0 ? p.withMaxSteps(maxSteps) : p;
  }

  /** What must match between a checkpoint and the run resuming from it. */
  public Map<String, String> identity() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("preset", preset);
    m.put("seed", Long.toString(seed));
    m.put("data", data);
    return m;
  }
}
