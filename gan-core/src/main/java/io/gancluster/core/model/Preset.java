package io.gancluster.core.model;

/**
 * A named training recipe: architecture plus the hyper-parameters a run needs.
 *
 * @param maxSteps generator steps in a run (each preceded by one discriminator step)
 * @param sampleEvery write a fixed-z sample grid every this many steps
 * @param checkpointEvery write a checkpoint every this many steps
 */
public record Preset(
    String name,
    String summary,
    ModelSpec model,
    int batchSize,
    double generatorLearningRate,
    double generatorBeta1,
    double discriminatorLearningRate,
    double discriminatorBeta1,
    long maxSteps,
    int sampleEvery,
    int checkpointEvery,
    String defaultData) {

  public static final double BETA2 = 0.999;

  public Preset {
    if (batchSize < 1 || maxSteps < 1 || sampleEvery < 1 || checkpointEvery < 1) {
      throw new IllegalArgumentException("preset " + name + ": batch, steps and intervals must be positive");
    }
  }

  public Preset withMaxSteps(long steps) {
    return new Preset(name, summary, model, batchSize, generatorLearningRate, generatorBeta1,
        discriminatorLearningRate, discriminatorBeta1, steps, sampleEvery, checkpointEvery, defaultData);
  }

  public Preset withBatchSize(int batch) {
    return new Preset(name, summary, model, batch, generatorLearningRate, generatorBeta1,
        discriminatorLearningRate, discriminatorBeta1, maxSteps, sampleEvery, checkpointEvery, defaultData);
  }
}
