package io.gancluster.trainer.run;

/**
 * Keeps something the run leaves behind up to date (e.g. {@link RunPictures}). Told at these points of
 * the run, each time after the run's listeners, so a chart drawn at an epoch's end includes what the
 * listeners recorded for that epoch (its evaluation).
 */
interface ArtifactListener {
  /** The loop starts at {@code step}: 0 for a new run. */
  default void onLoopStart(long step) {}

  /** Step {@code step} is done; {@code epochEnded} if it completed an epoch. */
  default void afterStep(long step, boolean epochEnded) {}

  /** A checkpoint of {@code step} has been written (not one resumed from or rewound to). */
  default void afterCheckpoint(long step) {}

  /** The run stops at {@code step}; {@code checkpointed} if its newest checkpoint is of that step, else one follows. */
  default void onRunEnd(long step, boolean checkpointed) {}
}
