package io.gancluster.core.model.recipe;

import io.gancluster.core.model.graph.Discriminators;
import io.gancluster.core.model.graph.Generators;

/**
 * Architecture of one G/D pair: network names, widths and the latent space. Part of a {@link Preset}.
 *
 * @param generator generator architecture, see {@link Generators}
 * @param discriminator discriminator architecture, see {@link Discriminators}
 * @param zDim latent size
 * @param latent the distribution of z
 * @param generatorWidth the generator's base channel (or unit) count
 * @param discriminatorWidth the discriminator's base channel (or unit) count
 * @param conditioning class labels, if any
 * @param spectralNorm D's dense and convolution weights are spectrally normalised
 *     ({@link io.gancluster.core.nn.SpectralNorm})
 */
public record ModelSpec(String generator, String discriminator, int zDim, Latent latent, int generatorWidth,
    int discriminatorWidth, Conditioning conditioning, boolean spectralNorm) {
  public static final long[] IMAGE_SHAPE = {1, 28, 28};

  public ModelSpec {
    if (zDim < 1 || generatorWidth < 1 || discriminatorWidth < 1) {
      throw new IllegalArgumentException("zDim and widths must be positive");
    }
    Generators.architecture(generator);
    Discriminators.architecture(discriminator);
    conditioning = conditioning == null ? Conditioning.NONE : conditioning;
  }

  public ModelSpec(String generator, String discriminator, int zDim, Latent latent, int generatorWidth,
      int discriminatorWidth, Conditioning conditioning) {
    this(generator, discriminator, zDim, latent, generatorWidth, discriminatorWidth, conditioning, false);
  }

  public ModelSpec(String generator, String discriminator, int zDim, Latent latent, int generatorWidth,
      int discriminatorWidth) {
    this(generator, discriminator, zDim, latent, generatorWidth, discriminatorWidth, Conditioning.NONE);
  }

  /** z ~ N(0, 1). */
  public ModelSpec(String generator, String discriminator, int zDim, int generatorWidth, int discriminatorWidth) {
    this(generator, discriminator, zDim, Latent.NORMAL, generatorWidth, discriminatorWidth);
  }

  public ModelSpec withWidths(int g, int d) {
    return new ModelSpec(generator, discriminator, zDim, latent, g, d, conditioning, spectralNorm);
  }

  public ModelSpec withLatent(Latent l) {
    return new ModelSpec(generator, discriminator, zDim, l, generatorWidth, discriminatorWidth, conditioning,
        spectralNorm);
  }

  public ModelSpec withConditioning(Conditioning c) {
    return new ModelSpec(generator, discriminator, zDim, latent, generatorWidth, discriminatorWidth, c, spectralNorm);
  }

  public ModelSpec withSpectralNorm(boolean on) {
    return new ModelSpec(generator, discriminator, zDim, latent, generatorWidth, discriminatorWidth, conditioning, on);
  }

  public int classes() {
    return conditioning.classes();
  }

  /** Names the sizes, which the positional constructors leave as bare numbers; z ~ N(0, 1) and no labels unless set. */
  public static Builder builder(String generator, String discriminator) {
    return new Builder(generator, discriminator);
  }

  /** Sizes left unset stay 0, which the record refuses. */
  public static final class Builder {
    private final String generator;
    private final String discriminator;
    private int zDim;
    private Latent latent = Latent.NORMAL;
    private int generatorWidth;
    private int discriminatorWidth;
    private Conditioning conditioning = Conditioning.NONE;
    private boolean spectralNorm;

    private Builder(String generator, String discriminator) {
      this.generator = generator;
      this.discriminator = discriminator;
    }

    public Builder zDim(int zDim) {
      this.zDim = zDim;
      return this;
    }

    public Builder latent(Latent latent) {
      this.latent = latent;
      return this;
    }

    public Builder generatorWidth(int generatorWidth) {
      this.generatorWidth = generatorWidth;
      return this;
    }

    public Builder discriminatorWidth(int discriminatorWidth) {
      this.discriminatorWidth = discriminatorWidth;
      return this;
    }

    public Builder conditioning(Conditioning conditioning) {
      this.conditioning = conditioning;
      return this;
    }

    public Builder spectralNorm(boolean on) {
      this.spectralNorm = on;
      return this;
    }

    public ModelSpec build() {
      return new ModelSpec(generator, discriminator, zDim, latent, generatorWidth, discriminatorWidth, conditioning,
          spectralNorm);
    }
  }
}
