package io.gancluster.core.model.recipe;

import io.gancluster.core.random.Seeds;
import java.util.SplittableRandom;

/** The distribution z is drawn from; a generator is trained on, and sampled with, one of these. */
public enum Latent {
  /** z ~ N(0, 1) per component (seeds 000-002, 004). */
  NORMAL("normal"),
  /** z ~ U(−1, 1) per component (a TF2 WGAN-GP recipe). */
  UNIFORM("uniform");

  private final String cliName;

  Latent(String cliName) {
    this.cliName = cliName;
  }

  public String cliName() {
    return cliName;
  }

  /** {@code count * dim} draws, row-major. */
  public float[] draw(SplittableRandom rng, int count, int dim) {
    if (this == NORMAL) {
      return Seeds.gaussian(rng, count, dim);
    }
    float[] z = new float[Math.multiplyExact(count, dim)];
    for (int i = 0; i < z.length; i++) {
      z[i] = (float) (2 * rng.nextDouble() - 1);
    }
    return z;
  }

  /** The smallest truncation accepted: below it, redrawing a normal component takes too many tries. */
  public static final double MIN_TRUNCATION = 0.05;

  /**
   * As {@link #draw}, with every component outside [−t, t] redrawn from the same stream (the
   * truncation trick: samples nearer the mode, less variety). t = 0 means no truncation.
   */
  public float[] draw(SplittableRandom rng, int count, int dim, double truncation) {
    if (truncation == 0) {
      return draw(rng, count, dim);
    }
    if (!(truncation >= MIN_TRUNCATION)) {
      throw new IllegalArgumentException("truncation must be 0 (off) or at least " + MIN_TRUNCATION + ", got "
          + truncation);
    }
    float[] z = new float[Math.multiplyExact(count, dim)];
    for (int i = 0; i < z.length; i++) {
      float v;
      do {
        v = this == NORMAL ? (float) rng.nextGaussian() : (float) (2 * rng.nextDouble() - 1);
      } while (Math.abs(v) > truncation);
      z[i] = v;
    }
    return z;
  }

  public static Latent parse(String name) {
    for (Latent l : values()) {
      if (l.cliName.equals(name)) {
        return l;
      }
    }
    throw new IllegalArgumentException("unknown latent distribution '" + name + "'; choose normal or uniform");
  }
}
