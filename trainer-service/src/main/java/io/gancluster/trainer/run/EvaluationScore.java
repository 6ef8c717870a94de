package io.gancluster.trainer.run;

import java.util.Locale;
import java.util.Map;

/**
 * What "best" means for the run's best checkpoint: the lower Fréchet distance wins; when two are equal to the
 * four decimals eval.csv records, the higher label accuracy wins (conditional models; NaN for unconditional ones,
 * so they tie). FD alone ranks because it already measures quality and diversity together and is the figure the
 * evaluation tables compare; a weighted mix with label accuracy would need a weight nobody can justify, so label
 * accuracy only breaks ties. A score whose FD is not finite never wins.
 *
 * @param frechetDistance FD of the generated images from the real test split's
 * @param labelAccuracy share classified as the label asked for; NaN for unconditional models
 */
public record EvaluationScore(double frechetDistance, double labelAccuracy) {
  static final String FRECHET_DISTANCE = "best_frechet_distance";
  static final String LABEL_ACCURACY = "best_label_accuracy";

  /** Whether this score beats {@code other} (null: nothing yet). */
  public boolean betterThan(EvaluationScore other) {
    if (!Double.isFinite(frechetDistance)) {
      return false;
    }
    if (other == null || !Double.isFinite(other.frechetDistance)) {
      return true;
    }
    long mine = Math.round(frechetDistance * 1e4);
    long theirs = Math.round(other.frechetDistance * 1e4);
    if (mine != theirs) {
      return mine < theirs;
    }
    return !Double.isNaN(labelAccuracy) && (Double.isNaN(other.labelAccuracy) || labelAccuracy > other.labelAccuracy);
  }

  /** The score as entries of a checkpoint's config (so the best checkpoint carries its own score). */
  public Map<String, String> toConfig() {
    return Map.of(FRECHET_DISTANCE, Double.toString(frechetDistance), LABEL_ACCURACY, Double.toString(labelAccuracy));
  }

  /** The score a best checkpoint carries; null if it carries none or a malformed one. */
  public static EvaluationScore fromConfig(Map<String, String> config) {
    try {
      String fd = config.get(FRECHET_DISTANCE);
      String acc = config.get(LABEL_ACCURACY);
      return fd == null ? null : new EvaluationScore(Double.parseDouble(fd), acc == null ? Double.NaN : Double.parseDouble(acc));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "FD %.4f", frechetDistance)
        + (Double.isNaN(labelAccuracy) ? "" : String.format(Locale.ROOT, ", label accuracy %.4f", labelAccuracy));
  }
}
