package io.gancluster.launcher;

import io.gancluster.trainer.eval.EvaluationSettings;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** When a training run measures its generator: every epoch unless told otherwise. */
final class EvalOptions {
  @Option(names = "--eval-every", paramLabel = "EPOCHS",
      description = "Evaluate the generator (FD, classifier score, label accuracy, precision/recall; eval.csv, "
          + "Prometheus) every this many epochs; 0: off. Default: 1. The first evaluation on a data set trains its "
          + "evaluator classifier (minutes on 2 cores), then it is cached.")
  Integer everyEpochs;

  @Option(names = "--eval-samples", defaultValue = "1000",
      description = "Generated images per evaluation. Default: ${DEFAULT-VALUE}")
  int samples;

  @Option(names = "--eval-cache-dir", description = "Where trained evaluators are kept. Default: $GAN_CACHE_DIR, "
      + "else ~/.cache/gan-cluster")
  Path cacheDir;

  EvaluationSettings settings(int defaultEveryEpochs) {
    return new EvaluationSettings(everyEpochs != null ? everyEpochs : defaultEveryEpochs, samples, cacheDir, null);
  }
}
