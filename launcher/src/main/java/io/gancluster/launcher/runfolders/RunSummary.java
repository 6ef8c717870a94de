package io.gancluster.launcher.runfolders;

import java.nio.file.Path;

/**
 * One run folder as {@code gan runs} lists it.
 *
 * @param preset from the newest readable checkpoint; null when none reads
 * @param step the furthest step on record (checkpoint or loss row); -1 when none
 * @param maxSteps the run's length from its checkpoint; -1 when unknown
 * @param evaluation the last in-run evaluation (eval.csv); null when none
 * @param best the best checkpoint by in-run evaluation ({@code checkpoints/best.zip}); null when none reads
 * @param checkpoint the newest checkpoint that reads; null when none
 * @param note what the status rests on, when it is not the plain case (a skipped corrupt checkpoint, …)
 */
public record RunSummary(Path folder, String preset, long step, long maxSteps, RunStatus status,
    Evaluation evaluation, Best best, Path checkpoint, String note) {

  /** A row of eval.csv: the step it measured, Fréchet distance, and label accuracy (NaN: unconditional). */
  public record Evaluation(long step, double frechetDistance, double labelAccuracy) {}

  /**
   * The run's best checkpoint, with the score stored inside it (what {@code gan sample}, {@code eval} and
   * {@code serve-replica} take from a run folder by default).
   *
   * @param frechetDistance its in-run FD; NaN when the file carries no score
   * @param labelAccuracy NaN for unconditional models or when the file carries no score
   */
  public record Best(Path file, long step, double frechetDistance, double labelAccuracy) {}
}
