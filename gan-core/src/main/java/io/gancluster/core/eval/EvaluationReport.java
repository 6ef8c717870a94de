package io.gancluster.core.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures for one set of generated images, with the references that give them meaning.
 *
 * @param frechetDistance FD of the generated features from the real test split's
 * @param frechetFloor FD of as many real training images from the same test split: what a perfect
 *     generator would score at this sample size
 * @param classifierScore Inception-score style, 1..classes
 * @param realClassifierScore the same score of the real test images, for scale
 * @param labelAccuracy share classified as the label requested (conditional models; NaN otherwise)
 * @param labelAccuracyPerClass the same per requested class (empty for unconditional models)
 */
public record EvaluationReport(String data, double evaluatorAccuracy, int count, double frechetDistance,
    double frechetFloor, double classifierScore, double realClassifierScore, double labelAccuracy,
    double[] labelAccuracyPerClass, int coveredClasses, int classes, double classKl, double precision,
    double recall) {

  /** The figures under their JSON names, in a stable order (callers serialise it; NaN per class becomes null). */
  public Map<String, Object> toMap() {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("data", data);
    j.put("evaluator_test_accuracy", evaluatorAccuracy);
    j.put("samples", count);
    j.put("frechet_distance", frechetDistance);
    j.put("frechet_distance_floor", frechetFloor);
    j.put("classifier_score", classifierScore);
    j.put("classifier_score_real", realClassifierScore);
    j.put("covered_classes", coveredClasses);
    j.put("classes", classes);
    j.put("class_kl_from_uniform", classKl);
    j.put("precision", precision);
    j.put("recall", recall);
    if (!Double.isNaN(labelAccuracy)) {
      j.put("label_accuracy", labelAccuracy);
      List<Double> perClass = new ArrayList<>();
      for (double a : labelAccuracyPerClass) {
        perClass.add(Double.isNaN(a) ? null : a);
      }
      j.put("label_accuracy_per_class", perClass);
    }
    return j;
  }

  /** A plain-text table, one metric per line, with what "good" looks like. */
  public String table() {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "evaluation of %d samples against %s (evaluator test accuracy %.2f%%)%n",
        count, data, 100 * evaluatorAccuracy));
    row(b, "Frechet distance", frechetDistance, String.format(Locale.ROOT, "lower; real data: %.3f", frechetFloor));
    row(b, "classifier score", classifierScore,
        String.format(Locale.ROOT, "higher, max %d; real data: %.3f", classes, realClassifierScore));
    if (!Double.isNaN(labelAccuracy)) {
      row(b, "label accuracy", labelAccuracy, "share classified as the requested label; 1 is ideal");
      StringBuilder per = new StringBuilder();
      for (int c = 0; c < labelAccuracyPerClass.length; c++) {
        per.append(String.format(Locale.ROOT, "%s%d:%.2f", c == 0 ? "" : " ", c, labelAccuracyPerClass[c]));
      }
      b.append(String.format(Locale.ROOT, "  %-18s %s%n", "  per class", per));
    }
    b.append(String.format(Locale.ROOT, "  %-18s %10d   %s%n", "covered classes", coveredClasses, "of " + classes + " (a class counts at >= "
        + Math.round(100 * ClassMetrics.COVERAGE_SHARE) + "% of its fair share)"));
    row(b, "class KL", classKl, "KL(class histogram || uniform), 0 is balanced");
    row(b, "precision", precision, "share of samples on the real manifold; 1 is ideal");
    row(b, "recall", recall, "share of real images on the samples' manifold; 1 is ideal");
    return b.toString();
  }

  private static void row(StringBuilder b, String name, double value, String note) {
    b.append(String.format(Locale.ROOT, "  %-18s %10.4f   %s%n", name, value, note));
  }
}
