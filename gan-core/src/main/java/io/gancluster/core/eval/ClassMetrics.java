package io.gancluster.core.eval;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** What the evaluator's class probabilities say about a set of generated images. */
public final class ClassMetrics {
  /** A class counts as covered when it gets at least this share of its uniform expectation N/K. */
  public static final double COVERAGE_SHARE = 0.1;
  private static final double EPS = 1e-12;

  private ClassMetrics() {}

  /**
   * Inception-score style: {@code exp(mean_x KL(p(y|x) || p(y)))}. 1 when every image gets the same
   * prediction; K when predictions are confident and spread evenly over K classes.
   */
  public static double classifierScore(INDArray probabilities) {
    INDArray p = probabilities.castTo(DataType.DOUBLE).add(EPS);
    INDArray marginal = p.mean(0);
    INDArray logRatio = Transforms.log(p, true).subRowVector(Transforms.log(marginal, true));
    return Math.exp(p.mul(logRatio).sum(1).meanNumber().doubleValue());
  }

  /** Share of images whose predicted class is the one they were generated for. */
  public static double labelAccuracy(int[] predicted, int[] requested) {
    if (predicted.length != requested.length || predicted.length == 0) {
      throw new IllegalArgumentException("need as many requested labels as predictions, got " + requested.length
          + " and " + predicted.length);
    }
    int right = 0;
    for (int i = 0; i < predicted.length; i++) {
      right += predicted[i] == requested[i] ? 1 : 0;
    }
    return right / (double) predicted.length;
  }

  /** For each class: the share of the images generated for it that are predicted as it (NaN: none asked). */
  public static double[] labelAccuracyPerClass(int[] predicted, int[] requested, int classes) {
    double[] right = new double[classes];
    double[] asked = new double[classes];
    for (int i = 0; i < predicted.length; i++) {
      asked[requested[i]]++;
      right[requested[i]] += predicted[i] == requested[i] ? 1 : 0;
    }
    double[] out = new double[classes];
    for (int c = 0; c < classes; c++) {
      out[c] = asked[c] == 0 ? Double.NaN : right[c] / asked[c];
    }
    return out;
  }

  /** Share of images predicted as each class. */
  public static double[] histogram(int[] predicted, int classes) {
    double[] h = new double[classes];
    for (int c : predicted) {
      h[c] += 1.0 / predicted.length;
    }
    return h;
  }

  /** Number of classes that get at least {@link #COVERAGE_SHARE} of their uniform share. */
  public static int coveredClasses(double[] histogram) {
    int covered = 0;
    for (double h : histogram) {
      covered += h >= COVERAGE_SHARE / histogram.length ? 1 : 0;
    }
    return covered;
  }

  /** KL(histogram || uniform) in nats: 0 when balanced, log K when every image is one class. */
  public static double klFromUniform(double[] histogram) {
    double kl = 0;
    for (double h : histogram) {
      kl += h > 0 ? h * Math.log(h * histogram.length) : 0;
    }
    return kl;
  }
}
