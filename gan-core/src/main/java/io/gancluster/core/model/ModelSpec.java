package io.gancluster.core.model;

/**
 * Architecture of one G/D pair: network names and their widths. Part of a {@link Preset}.
 *
 * @param generator generator architecture, see {@link Generators}
 * @param discriminator discriminator architecture, see {@link Discriminators}
 * @param zDim latent size
 * @param generatorWidth channels of the generator's widest layer
 * @param discriminatorWidth channels of the discriminator's first convolution
 */
public record ModelSpec(String generator, String discriminator, int zDim, int generatorWidth, int discriminatorWidth) {
  public static final long[] IMAGE_SHAPE = {1, 28, 28};

  public ModelSpec {
    if (zDim < 1 || generatorWidth < 1 || discriminatorWidth < 1) {
      throw new IllegalArgumentException("zDim and widths must be positive");
    }
  }
}
