package io.gancluster.trainer.eval;

import java.nio.file.Path;

/**
 * When and how a run measures its generator with the evaluator classifier.
 *
 * @param everyEpochs evaluate after every this many epochs; 0: never
 * @param samples generated images per evaluation
 * @param cacheDir where trained evaluators are kept (see EvaluatorCache)
 * @param testData the real held-out split to compare with; null: the training data's own test split
 */
public record EvaluationSettings(int everyEpochs, int samples, Path cacheDir, String testData) {
  public static final int DEFAULT_SAMPLES = 1000;
  public static final EvaluationSettings OFF = new EvaluationSettings(0, DEFAULT_SAMPLES, null, null);

  public EvaluationSettings {
    if (everyEpochs < 0) {
      throw new IllegalArgumentException("--eval-every must be >= 0 epochs (0: off), got " + everyEpochs);
    }
    if (samples < 10 || samples > 20_000) {
      throw new IllegalArgumentException("--eval-samples must be between 10 and 20000, got " + samples);
    }
  }

  public boolean enabled() {
    return everyEpochs > 0;
  }
}
