package io.gancluster.core.random;

import java.util.SplittableRandom;

/**
 * Counter-based randomness: every random draw is a pure function of (run seed, stream, index).
 *
 * <p>So the "RNG state" a checkpoint needs is just the seed and the step counter, a resumed run draws
 * exactly what an uninterrupted one would, and CPU/GPU builds agree on every draw (pure Java).
 */
public final class Seeds {
  /** Named streams so that, e.g., the z of step 7 never correlates with the shuffle of epoch 7. */
  public enum Stream {
    WEIGHTS, LATENT, SHUFFLE, SAMPLING, FIXED_GRID, PENALTY, LABELS, WRONG_LABELS, BATCH_NORM_STATISTICS, AUGMENT_CRITIC, AUGMENT_GENERATOR
  }

  private Seeds() {}

  /** A generator for draw {@code index} of {@code stream} in a run seeded with {@code seed}. */
  public static SplittableRandom rng(long seed, Stream stream, long index) {
    // SplittableRandom's own mixing spreads nearby seeds; fold the stream and index in first.
    long mixed = new SplittableRandom(seed).split().nextLong() ^ (stream.ordinal() * 0x9E3779B97F4A7C15L);
    return new SplittableRandom(new SplittableRandom(mixed + index).nextLong());
  }

  /** {@code count * dim} standard-normal floats, row-major. */
  public static float[] gaussian(SplittableRandom rng, int count, int dim) {
    float[] z = new float[Math.multiplyExact(count, dim)];
    for (int i = 0; i < z.length; i++) {
      z[i] = (float) rng.nextGaussian();
    }
    return z;
  }

  /** A seed for a named sub-component (e.g. a parameter) of a run. */
  public static long derive(long seed, String name) {
    return rng(seed, Stream.WEIGHTS, name.hashCode()).nextLong();
  }
}
