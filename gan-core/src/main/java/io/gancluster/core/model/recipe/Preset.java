package io.gancluster.core.model.recipe;

import io.gancluster.core.model.graph.Discriminators;

/**
 * A named training recipe: architecture, objective and the hyper-parameters a run needs.
 *
 * @param source where the recipe comes from (seed document) and what differs from it
 * @param criticSteps discriminator updates per generator update (n_critic); each takes its own real batch
 * @param epochs passes over the training data by the discriminator (used when {@code maxSteps} is 0)
 * @param maxSteps generator steps in a run; 0 derives them from {@code epochs} and the data set size
 * @param sampleEvery write a fixed-z sample grid every this many generator steps
 * @param checkpointEvery write a checkpoint every this many generator steps
 */
public record Preset(
    String name,
    String summary,
    String source,
    ModelSpec model,
    Objective objective,
    AdamSettings generatorAdam,
    AdamSettings discriminatorAdam,
    int batchSize,
    int criticSteps,
    double epochs,
    long maxSteps,
    int sampleEvery,
    int checkpointEvery,
    String defaultData) {

  public Preset {
    if (batchSize < 1 || criticSteps < 1 || maxSteps < 0 || sampleEvery < 1 || checkpointEvery < 1) {
      throw new IllegalArgumentException("preset " + name + ": batch, critic steps and intervals must be positive");
    }
    if (maxSteps == 0 && !(epochs > 0)) {
      throw new IllegalArgumentException("preset " + name + ": give epochs or a step count");
    }
    Discriminators.checkCompatible(model, objective);
  }

  /** Generator steps for a data set of {@code dataSize} images. */
  public long steps(int dataSize) {
    if (maxSteps > 0) {
      return maxSteps;
    }
    long batchesPerEpoch = Math.max(1, dataSize / batchSize);
    return Math.max(1, (long) Math.ceil(epochs * batchesPerEpoch / criticSteps));
  }

  public Preset withMaxSteps(long steps) {
    return new Preset(name, summary, source, model, objective, generatorAdam, discriminatorAdam, batchSize,
        criticSteps, epochs, steps, sampleEvery, checkpointEvery, defaultData);
  }

  public Preset withBatchSize(int batch) {
    return new Preset(name, summary, source, model, objective, generatorAdam, discriminatorAdam, batch,
        criticSteps, epochs, maxSteps, sampleEvery, checkpointEvery, defaultData);
  }

  public Preset withObjective(Objective o) {
    return new Preset(name, summary, source, model, o, generatorAdam, discriminatorAdam, batchSize,
        criticSteps, epochs, maxSteps, sampleEvery, checkpointEvery, defaultData);
  }

  public Preset withCriticSteps(int n) {
    return new Preset(name, summary, source, model, objective, generatorAdam, discriminatorAdam, batchSize,
        n, epochs, maxSteps, sampleEvery, checkpointEvery, defaultData);
  }

  public Preset withAdam(AdamSettings g, AdamSettings d) {
    return new Preset(name, summary, source, model, objective, g, d, batchSize,
        criticSteps, epochs, maxSteps, sampleEvery, checkpointEvery, defaultData);
  }

  public Preset withModel(ModelSpec m) {
    return new Preset(name, summary, source, m, objective, generatorAdam, discriminatorAdam, batchSize,
        criticSteps, epochs, maxSteps, sampleEvery, checkpointEvery, defaultData);
  }

  public Preset withIntervals(int sample, int checkpoint) {
    return new Preset(name, summary, source, model, objective, generatorAdam, discriminatorAdam, batchSize,
        criticSteps, epochs, maxSteps, sample, checkpoint, defaultData);
  }

  /** What a discriminator service must be configured with; the trainer compares it with the service's. */
  public String discriminatorRecipe() {
    return model.discriminator() + " w" + model.discriminatorWidth() + labels(model.conditioning().discriminator())
        + "; " + objective + "; " + discriminatorAdam;
  }

  /** What a generator service must be configured with. */
  public String generatorRecipe() {
    return model.generator() + " w" + model.generatorWidth() + " z" + model.zDim() + " " + model.latent().cliName()
        + labels(model.conditioning().generator()) + "; " + generatorAdam;
  }

  private String labels(Enum<?> how) {
    return model.conditioning().conditional()
        ? " labels=" + how.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "/" + model.classes() : "";
  }
}
