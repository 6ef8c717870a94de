package io.gancluster.discriminator.objective;

import io.gancluster.core.model.graph.Discriminators;
import java.util.Arrays;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One critic step's inputs, checked and cast to D's data type: n real and n fake images with their
 * labels (null for an unconditional model). The step id seeds any draw a retried step must repeat.
 */
public record CriticBatch(long stepId, INDArray real, int[] realLabels, INDArray fake, int[] fakeLabels) {
  int size() {
    return (int) real.size(0);
  }

  DataType dataType() {
    return real.dataType();
  }

  /** The labels of concat(real, fake). */
  int[] labels() {
    return concat(realLabels, fakeLabels);
  }

  /** Feeds concat(real, fake) with its targets and weights. */
  void feedRealThenFake(Map<String, INDArray> feed, double realTarget) {
    feedRows(feed, Nd4j.concat(0, real, fake), realTarget, 1.0);
  }

  /**
   * Feeds {@code images}: the n reals first (target {@code realTarget}, weight 1/n, so their losses sum
   * to a batch mean), then negatives (target 0, weight {@code negativeWeight}/n each).
   */
  void feedRows(Map<String, INDArray> feed, INDArray images, double realTarget, double negativeWeight) {
    int n = size();
    long negatives = images.size(0) - n;
    DataType dt = dataType();
    feed.put(Discriminators.IMAGE, images);
    feed.put(Discriminators.TARGET, Nd4j.vstack(Nd4j.valueArrayOf(new long[] {n, 1}, realTarget, dt),
        Nd4j.zeros(dt, negatives, 1)));
    feed.put(Discriminators.WEIGHT, Nd4j.vstack(Nd4j.valueArrayOf(new long[] {n, 1}, 1.0 / n, dt),
        Nd4j.valueArrayOf(new long[] {negatives, 1}, negativeWeight / n, dt)));
  }

  static int[] concat(int[]... parts) {
    return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
  }
}
