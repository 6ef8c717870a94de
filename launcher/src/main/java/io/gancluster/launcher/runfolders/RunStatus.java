package io.gancluster.launcher.runfolders;

/**
 * What a run folder's files say about its run. The trainer keeps no status file: a run that ends for any
 * reason but a crash or a NaN stop writes a checkpoint of its last step, so loss rows past the newest
 * checkpoint mean the process died (or stopped on NaN/Inf) after them, unless it is still writing.
 */
public enum RunStatus {
  /** The newest checkpoint is at the run's max_steps. */
  FINISHED("finished"),
  /** Stopped cleanly before max_steps (Ctrl-C or --max-minutes): the same command resumes it. */
  STOPPED("stopped"),
  /**
   * Most likely a trainer is writing it now: steps after the newest checkpoint and a file changed in the last
   * 2 minutes, or the last step checkpointed less than 30 s ago.
   */
  RUNNING("running?"),
  /** Steps taken after the newest checkpoint and nothing written since: the process died or hit NaN/Inf. */
  FAILED("failed"),
  /** Checkpoint files, none of which reads (truncated, flipped bytes, not a checkpoint). */
  CORRUPT("corrupt"),
  /** Run files but no checkpoint file (a run that died while starting, or a copy without checkpoints/). */
  PARTIAL("partial"),
  /** No run files at all. */
  EMPTY("empty");

  private final String label;

  RunStatus(String label) {
    this.label = label;
  }

  /** As the table shows it. */
  public String label() {
    return label;
  }
}
