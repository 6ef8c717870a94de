package io.gancluster.core.model.graph;

import io.gancluster.core.random.Seeds;
import io.gancluster.core.tensor.InvalidTensorException;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Class labels as they cross the wire (int indices) and enter graphs (one-hot rows). */
public final class Labels {
  private Labels() {}

  /**
   * Checks labels sent with a batch of {@code rows} images: none for an unconditional model, one per
   * row in [0, classes) for a conditional one. Errors name what is valid (gRPC INVALID_ARGUMENT).
   */
  public static int[] check(List<Integer> labels, int rows, int classes, String what) {
    if (classes == 0) {
      if (!labels.isEmpty()) {
        throw new InvalidTensorException(what + ": this model is unconditional and takes no labels");
      }
      return null;
    }
    if (labels.size() != rows) {
      throw new InvalidTensorException(what + ": expected one label per image (" + rows + "), got " + labels.size());
    }
    int[] out = new int[rows];
    for (int i = 0; i < rows; i++) {
      int l = labels.get(i);
      if (l < 0 || l >= classes) {
        throw new InvalidTensorException(what + ": label " + l + " at position " + i + " is not a class of this model; "
            + "valid labels are 0.." + (classes - 1));
      }
      out[i] = l;
    }
    return out;
  }

  /** One-hot rows [n, classes]. */
  public static INDArray oneHot(int[] labels, int classes, DataType dtype) {
    INDArray m = Nd4j.zeros(dtype, labels.length, classes);
    for (int i = 0; i < labels.length; i++) {
      m.putScalar(i, labels[i], 1.0);
    }
    return m;
  }

  /** {@code n} labels uniform over the classes, draw {@code index} of {@code stream}. */
  public static int[] draw(long seed, Seeds.Stream stream, long index, int n, int classes) {
    SplittableRandom rng = Seeds.rng(seed, stream, index);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = rng.nextInt(classes);
    }
    return out;
  }

  /** For each label, a different one, uniform over the others (GAN-cls's mismatched pairs). */
  public static int[] wrong(int[] labels, int classes, SplittableRandom rng) {
    int[] out = new int[labels.length];
    for (int i = 0; i < labels.length; i++) {
      out[i] = (labels[i] + 1 + rng.nextInt(classes - 1)) % classes;
    }
    return out;
  }

  public static List<Integer> boxed(int[] labels) {
    return labels == null ? List.of() : java.util.Arrays.stream(labels).boxed().toList();
  }
}
