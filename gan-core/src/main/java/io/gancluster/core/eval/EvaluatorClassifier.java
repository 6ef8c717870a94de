package io.gancluster.core.eval;

import io.gancluster.core.data.ImageSet;
import io.gancluster.core.nn.AdamOptimizer;
import io.gancluster.core.nn.GraphBuilder;
import io.gancluster.core.nn.Network;
import io.gancluster.core.nn.NetworkState;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongConsumer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The judge of generated images: a small CNN (conv 5x5/2 32, conv 5x5/2 64, dense 128, softmax)
 * trained on a data set's real training split. Its class probabilities give the classifier score,
 * label accuracy and class histogram; its 128 penultimate ReLU features give the Fréchet distance and
 * precision/recall. A SameDiff graph like every network here (DL4J's graph API, oneDNN-backed).
 */
public final class EvaluatorClassifier {
  /** Bumped whenever the architecture or training recipe changes, so cached evaluators are retrained. */
  public static final String MODEL = "evaluator-cnn-v1";
  public static final int FEATURES = 128;
  static final String IMAGE = "image";
  static final String LABEL = "label";
  static final String FEATURE_OUT = "features";
  static final String PROBABILITIES = "probabilities";
  static final String LOSS = "loss";
  private static final int BATCH = 64;
  private static final int EVAL_BATCH = 500;

  private final Network network;
  private final AdamOptimizer adam;
  private final int classes;

  public EvaluatorClassifier(int classes, long seed) {
    if (classes < 2) {
      throw new IllegalArgumentException("an evaluator needs a labelled data set with 2 or more classes, got "
          + classes);
    }
    this.classes = classes;
    SameDiff sd = SameDiff.create();
    GraphBuilder g = new GraphBuilder(sd, DataType.FLOAT, seed);
    SDVariable x = sd.placeHolder(IMAGE, DataType.FLOAT, -1, 1, 28, 28);
    SDVariable y = sd.placeHolder(LABEL, DataType.FLOAT, -1, classes);
    SDVariable h = g.leakyRelu(g.conv2d("e_c1", x, 1, 32, 5, 2, true), 0.2);   // 14x14
    h = g.leakyRelu(g.conv2d("e_c2", h, 32, 64, 5, 2, true), 0.2);              // 7x7
    SDVariable features = g.relu(g.dense("e_fc", g.flatten(h, 64, 7, 7), 64 * 7 * 7, FEATURES, true));
    sd.updateVariableNameAndReference(features, FEATURE_OUT);
    SDVariable logits = g.dense("e_out", features, FEATURES, classes, true);
    sd.nn().softmax(PROBABILITIES, logits, 1);
    sd.loss().softmaxCrossEntropy(LOSS, y, logits, null);
    sd.setLossVariables(LOSS);
    network = new Network(MODEL, g, new long[] {1, 28, 28}, new long[] {classes});
    adam = new AdamOptimizer(network, 1e-3, 0.9, 0.999);
  }

  public int classes() {
    return classes;
  }

  /** Trains on every image of {@code train} for {@code epochs}, in a seeded order; reports each step. */
  public void train(ImageSet train, int epochs, long seed, LongConsumer onStep) {
    Random rng = new Random(seed);
    int[] order = java.util.stream.IntStream.range(0, train.count()).toArray();
    long step = 0;
    for (int e = 0; e < epochs; e++) {
      shuffle(order, rng);
      for (int from = 0; from + BATCH <= order.length; from += BATCH) {
        int[] idx = java.util.Arrays.copyOfRange(order, from, from + BATCH);
        INDArray images = Nd4j.create(train.batch(idx), new long[] {BATCH, 1, 28, 28});
        OutAndGrad r = network.forwardBackward(Map.of(IMAGE, images, LABEL, oneHot(train.labels(idx))),
            List.of(LOSS), network.trainableParameters());
        adam.step(r.getGradients());
        onStep.accept(++step);
      }
    }
  }

  /** Class probabilities [N, classes] and features [N, 128] of images [N, 1, 28, 28] in [-1, 1]. */
  public Embedding embed(INDArray images) {
    long n = images.size(0);
    INDArray probs = Nd4j.create(DataType.FLOAT, n, classes);
    INDArray feats = Nd4j.create(DataType.FLOAT, n, FEATURES);
    for (long from = 0; from < n; from += EVAL_BATCH) {
      long to = Math.min(n, from + EVAL_BATCH);
      INDArray batch = images.get(NDArrayIndex.interval(from, to), NDArrayIndex.all(), NDArrayIndex.all(),
          NDArrayIndex.all()).castTo(DataType.FLOAT);
      Map<String, INDArray> out = network.output(Map.of(IMAGE, batch), PROBABILITIES, FEATURE_OUT);
      probs.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).assign(out.get(PROBABILITIES));
      feats.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).assign(out.get(FEATURE_OUT));
    }
    return new Embedding(probs, feats);
  }

  /** Share of {@code set}'s images whose most probable class is their label. */
  public double accuracy(ImageSet set) {
    Embedding e = embed(images(set));
    int[] predicted = e.predictedClasses();
    int right = 0;
    for (int i = 0; i < predicted.length; i++) {
      right += predicted[i] == set.label(i) ? 1 : 0;
    }
    return right / (double) predicted.length;
  }

  public byte[] exportState() {
    return NetworkState.export(network, adam);
  }

  /** @throws IllegalArgumentException when the bytes are not this architecture's state */
  public void importState(byte[] state) {
    NetworkState.restore(state, network, adam);
  }

  /** Every image of a set as [N, 1, 28, 28] in [-1, 1]. */
  public static INDArray images(ImageSet set) {
    int[] all = java.util.stream.IntStream.range(0, set.count()).toArray();
    return Nd4j.create(set.batch(all), new long[] {set.count(), 1, set.rows(), set.cols()});
  }

  private INDArray oneHot(int[] labels) {
    INDArray y = Nd4j.zeros(DataType.FLOAT, labels.length, classes);
    for (int i = 0; i < labels.length; i++) {
      y.putScalar(i, labels[i], 1f);
    }
    return y;
  }

  private static void shuffle(int[] a, Random rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** What the evaluator sees in a batch of images. */
  public record Embedding(INDArray probabilities, INDArray features) {
    public int[] predictedClasses() {
      return probabilities.argMax(1).toIntVector();
    }
  }
}
