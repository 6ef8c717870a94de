package io.gancluster.core.eval;

import io.gancluster.core.data.ImageSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trained {@link EvaluatorClassifier} plus the real references generated images are measured
 * against: the test split's features and class probabilities, and per sample size the FD floor.
 * Not thread-safe (one SameDiff graph).
 */
public final class Evaluator {
  private final EvaluatorClassifier classifier;
  private final ImageSet train;
  private final String dataName;
  private final double testAccuracy;
  private final INDArray testFeatures;
  private final FrechetDistance.Gaussian testGaussian;
  private final double realClassifierScore;
  private final Map<Integer, Double> floors = new HashMap<>();

  public Evaluator(EvaluatorClassifier classifier, ImageSet train, ImageSet test, String dataName) {
    this.classifier = classifier;
    this.train = train;
    this.dataName = dataName;
    EvaluatorClassifier.Embedding e = classifier.embed(EvaluatorClassifier.images(test));
    int[] predicted = e.predictedClasses();
    int right = 0;
    for (int i = 0; i < predicted.length; i++) {
      right += predicted[i] == test.label(i) ? 1 : 0;
    }
    this.testAccuracy = right / (double) predicted.length;
    this.testFeatures = e.features();
    this.testGaussian = FrechetDistance.Gaussian.of(testFeatures);
    this.realClassifierScore = ClassMetrics.classifierScore(e.probabilities());
  }

  public double testAccuracy() {
    return testAccuracy;
  }

  public int classes() {
    return classifier.classes();
  }

  public EvaluatorClassifier classifier() {
    return classifier;
  }

  /**
   * Measures generated images [N, 1, 28, 28] in [-1, 1]; {@code requested} holds the label each was
   * generated for (null for an unconditional model).
   */
  public EvaluationReport evaluate(INDArray images, int[] requested) {
    int n = (int) images.size(0);
    EvaluatorClassifier.Embedding e = classifier.embed(images);
    int[] predicted = e.predictedClasses();
    double[] hist = ClassMetrics.histogram(predicted, classes());
    PrecisionRecall.Result pr = PrecisionRecall.of(realSubset(n), e.features(), PrecisionRecall.DEFAULT_K);
    return new EvaluationReport(dataName, testAccuracy, n,
        FrechetDistance.of(FrechetDistance.Gaussian.of(e.features()), testGaussian), floor(n),
        ClassMetrics.classifierScore(e.probabilities()), realClassifierScore,
        requested == null ? Double.NaN : ClassMetrics.labelAccuracy(predicted, requested),
        requested == null ? new double[0] : ClassMetrics.labelAccuracyPerClass(predicted, requested, classes()),
        ClassMetrics.coveredClasses(hist), classes(), ClassMetrics.klFromUniform(hist), pr.precision(), pr.recall());
  }

  /** FD of n real training images (a seeded draw) from the test split: the best FD at this sample size. */
  public double floor(int n) {
    return floors.computeIfAbsent(Math.min(n, train.count()), m -> {
      EvaluatorClassifier.Embedding e = classifier.embed(Nd4j.create(train.batch(draw(train.count(), m)),
          new long[] {m, 1, train.rows(), train.cols()}));
      return FrechetDistance.of(FrechetDistance.Gaussian.of(e.features()), testGaussian);
    });
  }

  /** The real side of precision/recall: as many test images as samples (all, if fewer). */
  private INDArray realSubset(int n) {
    long m = Math.min(n, testFeatures.size(0));
    return testFeatures.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, m),
        org.nd4j.linalg.indexing.NDArrayIndex.all());
  }

  private static int[] draw(int size, int m) {
    int[] all = java.util.stream.IntStream.range(0, size).toArray();
    Random rng = new Random(size * 31L + m);
    for (int i = 0; i < m; i++) {
      int j = i + rng.nextInt(size - i);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    return java.util.Arrays.copyOf(all, m);
  }
}
