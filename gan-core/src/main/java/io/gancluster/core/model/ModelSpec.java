package io.gancluster.core.model;

/**
 * Architecture of one G/D pair: network names, widths and the latent space. Part of a {@link Preset}.
 *
 * @param generator generator architecture, see {@link Generators}
 * @param discriminator discriminator architecture, see {@link Discriminators}
 * @param zDim latent size
 * @param latent the distribution of z
 * @param generatorWidth the generator's base channel (or unit) count
 * @param discriminatorWidth the discriminator's base channel (or unit) count
 */
public record ModelSpec(String generator, String discriminator, int zDim, Latent latent, int generatorWidth,
    int discriminatorWidth) {
  public static final long[] IMAGE_SHAPE = {1, 28, 28};

  public ModelSpec {
    if (zDim < 1 || generatorWidth < 1 || discriminatorWidth < 1) {
      throw new IllegalArgumentException("zDim and widths must be positive");
    }
    Generators.architecture(generator);
    Discriminators.architecture(discriminator);
  }

  /** z ~ N(0, 1). */
  public ModelSpec(String generator, String discriminator, int zDim, int generatorWidth, int discriminatorWidth) {
    this(generator, discriminator, zDim, Latent.NORMAL, generatorWidth, discriminatorWidth);
  }

  public ModelSpec withWidths(int g, int d) {
    return new ModelSpec(generator, discriminator, zDim, latent, g, d);
  }
}
