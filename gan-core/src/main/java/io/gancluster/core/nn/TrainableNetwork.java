package io.gancluster.core.nn;

/** A network with its optimizer, as a service owns it: what checkpointing and Describe need. */
public interface TrainableNetwork {
  Network network();

  /** The configuration peers must agree on (see Preset#discriminatorRecipe). */
  String recipe();

  /** Optimizer updates applied so far. */
  long updates();

  /** Parameters, buffers and optimizer state as a {@link NetworkState} blob. */
  byte[] exportState();

  /** Replaces all state from a blob; returns the update count it carries. */
  long importState(byte[] blob);
}
