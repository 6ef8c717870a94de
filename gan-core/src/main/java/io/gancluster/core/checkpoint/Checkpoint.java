package io.gancluster.core.checkpoint;

import java.util.Map;

/**
 * Everything needed to continue a run exactly: both networks (parameters, running statistics and
 * Adam state, as {@code NetworkState} blobs), the step reached and the run's configuration. Randomness
 * is counter-based ({@code Seeds}), so seed + step is the whole RNG state.
 */
public record Checkpoint(long step, int epoch, long seed, Map<String, String> config,
    byte[] generatorState, byte[] discriminatorState) {

  public Checkpoint {
    config = Map.copyOf(config);
  }

  /** A short id naming this checkpoint's parameters, e.g. in sampling responses. */
  public String version() {
    return "step-" + step;
  }
}
