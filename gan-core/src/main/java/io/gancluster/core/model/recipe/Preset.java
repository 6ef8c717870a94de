package io.gancluster.core.model.recipe;

import io.gancluster.core.model.graph.Discriminators;
import java.util.Objects;

/**
 * A named training recipe: architecture, objective and the hyper-parameters a run needs.
 *
 * @param source where the recipe comes from (the paper or reference recipe it reproduces) and what differs from it
 * @param criticSteps discriminator updates per generator update (n_critic); each takes its own real batch
 * @param epochs passes over the training data by the discriminator (used when {@code maxSteps} is 0)
 * @param maxSteps generator steps in a run; 0 derives them from {@code epochs} and the data set size
 * @param sampleEvery write a fixed-z sample grid every this many generator steps
 * @param checkpointEvery write a checkpoint every this many generator steps
 * @param emaDecay decay of the exponential moving average of G's weights that sampling, evaluation and
 *     serving use (0: no average, the live weights are used)
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
    String defaultData,
    double emaDecay) {

  public Preset {
    if (batchSize < 2) {
      throw new IllegalArgumentException("preset " + name + ": batch size must be at least 2 (batch statistics),"
          + " got " + batchSize);
    }
    if (criticSteps < 1 || maxSteps < 0 || sampleEvery < 1 || checkpointEvery < 1) {
      throw new IllegalArgumentException("preset " + name + ": critic steps and intervals must be positive");
    }
    if (!(emaDecay >= 0 && emaDecay < 1)) {
      throw new IllegalArgumentException("preset " + name + ": EMA decay must be in [0, 1), got " + emaDecay);
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
    return toBuilder().maxSteps(steps).build();
  }

  public Preset withBatchSize(int batch) {
    return toBuilder().batchSize(batch).build();
  }

  public Preset withObjective(Objective o) {
    return toBuilder().objective(o).build();
  }

  public Preset withCriticSteps(int n) {
    return toBuilder().criticSteps(n).build();
  }

  public Preset withAdam(AdamSettings g, AdamSettings d) {
    return toBuilder().generatorAdam(g).discriminatorAdam(d).build();
  }

  public Preset withModel(ModelSpec m) {
    return toBuilder().model(m).build();
  }

  public Preset withEmaDecay(double decay) {
    return toBuilder().emaDecay(decay).build();
  }

  public Preset withIntervals(int sample, int checkpoint) {
    return toBuilder().sampleEvery(sample).checkpointEvery(checkpoint).build();
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  public Builder toBuilder() {
    return toBuilder(name);
  }

  /** This preset's settings under another name: a new preset that starts as a copy of this one. */
  public Builder toBuilder(String newName) {
    return new Builder(newName).summary(summary).source(source).model(model).objective(objective)
        .generatorAdam(generatorAdam).discriminatorAdam(discriminatorAdam).batchSize(batchSize)
        .criticSteps(criticSteps).epochs(epochs).maxSteps(maxSteps).sampleEvery(sampleEvery)
        .checkpointEvery(checkpointEvery).defaultData(defaultData).emaDecay(emaDecay);
  }

  /**
   * Names each component so a preset does not end in a row of bare numbers. Everything must be set
   * except {@code epochs} and {@code maxSteps}: a recipe gives one of them and the other stays 0.
   */
  public static final class Builder {
    private final String name;
    private String summary;
    private String source;
    private ModelSpec model;
    private Objective objective;
    private AdamSettings generatorAdam;
    private AdamSettings discriminatorAdam;
    private Integer batchSize;
    private Integer criticSteps;
    private double epochs;
    private long maxSteps;
    private Integer sampleEvery;
    private Integer checkpointEvery;
    private String defaultData;
    private double emaDecay;

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "preset name");
    }

    public Builder summary(String summary) {
      this.summary = summary;
      return this;
    }

    public Builder source(String source) {
      this.source = source;
      return this;
    }

    public Builder model(ModelSpec model) {
      this.model = model;
      return this;
    }

    public Builder objective(Objective objective) {
      this.objective = objective;
      return this;
    }

    public Builder generatorAdam(AdamSettings generatorAdam) {
      this.generatorAdam = generatorAdam;
      return this;
    }

    public Builder discriminatorAdam(AdamSettings discriminatorAdam) {
      this.discriminatorAdam = discriminatorAdam;
      return this;
    }

    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    public Builder criticSteps(int criticSteps) {
      this.criticSteps = criticSteps;
      return this;
    }

    public Builder epochs(double epochs) {
      this.epochs = epochs;
      return this;
    }

    public Builder maxSteps(long maxSteps) {
      this.maxSteps = maxSteps;
      return this;
    }

    public Builder sampleEvery(int sampleEvery) {
      this.sampleEvery = sampleEvery;
      return this;
    }

    public Builder checkpointEvery(int checkpointEvery) {
      this.checkpointEvery = checkpointEvery;
      return this;
    }

    public Builder defaultData(String defaultData) {
      this.defaultData = defaultData;
      return this;
    }

    /** Optional: 0 (the default) keeps no average of G's weights. */
    public Builder emaDecay(double emaDecay) {
      this.emaDecay = emaDecay;
      return this;
    }

    /** The preset, checked by the record; a component left unset is refused by name. */
    public Preset build() {
      return new Preset(name, required(summary, "summary"), required(source, "source"), required(model, "model"),
          required(objective, "objective"), required(generatorAdam, "generatorAdam"),
          required(discriminatorAdam, "discriminatorAdam"), required(batchSize, "batchSize"),
          required(criticSteps, "criticSteps"), epochs, maxSteps, required(sampleEvery, "sampleEvery"),
          required(checkpointEvery, "checkpointEvery"), required(defaultData, "defaultData"), emaDecay);
    }

    private <T> T required(T value, String component) {
      if (value == null) {
        throw new IllegalStateException("preset " + name + ": " + component + " is not set");
      }
      return value;
    }
  }

  /** What a discriminator service must be configured with; the trainer compares it with the service's. */
  public String discriminatorRecipe() {
    return model.discriminator() + " w" + model.discriminatorWidth() + (model.spectralNorm() ? " spectral-norm" : "")
        + labels(model.conditioning().discriminator())
        + "; " + objective + "; " + discriminatorAdam;
  }

  /** What a generator service must be configured with. */
  public String generatorRecipe() {
    return model.generator() + " w" + model.generatorWidth() + " z" + model.zDim() + " " + model.latent().cliName()
        + labels(model.conditioning().generator()) + "; " + generatorAdam + (emaDecay > 0 ? "; ema " + emaDecay : "");
  }

  private String labels(Enum<?> how) {
    return model.conditioning().conditional()
        ? " labels=" + how.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "/" + model.classes() : "";
  }
}
