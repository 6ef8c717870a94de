package io.gancluster.trainer.schedule;

import io.gancluster.core.data.ImageSet;
import io.gancluster.core.random.Seeds;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Real batches for step k: epoch e = k / batchesPerEpoch is a permutation drawn from (seed, e), and
 * the batch is the k-th slice of it. A pure function of (seed, k): resuming needs no iterator state.
 */
public final class Batches {
  private final ImageSet data;
  private final int batchSize;
  private final long seed;
  private int cachedEpoch = -1;
  private int[] order;

  public Batches(ImageSet data, int batchSize, long seed) {
    if (data.count() < batchSize) {
      throw new IllegalArgumentException("data set " + data.name() + " has " + data.count()
          + " images, fewer than one batch of " + batchSize);
    }
    this.data = data;
    this.batchSize = batchSize;
    this.seed = seed;
  }

  public int batchesPerEpoch() {
    return data.count() / batchSize;
  }

  public int epochOf(long step) {
    return (int) (step / batchesPerEpoch());
  }

  /** Images [B, 1, 28, 28] in [-1, 1] for step {@code step} (0-based). */
  public INDArray real(long step) {
    return Nd4j.create(data.batch(indices(step)), new long[] {batchSize, 1, data.rows(), data.cols()}, 'c');
  }

  /** The class labels of the images {@link #real} gives for the same step. */
  public int[] labels(long step) {
    return data.labels(indices(step));
  }

  /** Classes in the data set (labels 0..n-1). */
  public int classCount() {
    return data.classCount();
  }

  private int[] indices(long step) {
    int epoch = epochOf(step);
    if (epoch != cachedEpoch) {
      order = permutation(data.count(), Seeds.rng(seed, Seeds.Stream.SHUFFLE, epoch));
      cachedEpoch = epoch;
    }
    int start = (int) (step % batchesPerEpoch()) * batchSize;
    int[] idx = new int[batchSize];
    System.arraycopy(order, start, idx, 0, batchSize);
    return idx;
  }

  private static int[] permutation(int n, SplittableRandom rng) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) { // Fisher-Yates
      int j = rng.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
