package io.gancluster.core.nn;

import io.gancluster.core.nn.GraphBuilder.BatchNormState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A SameDiff graph plus the bookkeeping a trainer needs: which variables are trainable, which are
 * state buffers (running statistics), and the shapes it takes and gives (without the batch axis).
 * Not thread-safe: its owner runs it on one worker thread.
 */
public final class Network {
  private final String model;
  private final SameDiff sd;
  private final DataType dtype;
  private final List<String> trainable;
  private final List<String> buffers;
  private final List<BatchNormState> batchNorms;
  private final List<SpectralNorm.Layer> spectralNorms;
  private final long[] inputShape;
  private final long[] outputShape;

  /**
   * @param inputsNeedingGradients placeholders whose gradient callers ask for (e.g. the images of a
   *     discriminator); the gradient graph is built once, here, including them
   */
  public Network(String model, GraphBuilder builder, long[] inputShape, long[] outputShape,
      String... inputsNeedingGradients) {
    this.model = model;
    this.sd = builder.sameDiff();
    this.dtype = builder.dataType();
    this.trainable = builder.trainableParameters();
    this.batchNorms = builder.batchNorms();
    List<String> bufs = new ArrayList<>();
    for (BatchNormState bn : batchNorms) {
      bufs.add(bn.runningMean());
      bufs.add(bn.runningVar());
    }
    this.spectralNorms = builder.spectralNorms();
    for (SpectralNorm.Layer sn : spectralNorms) {
      bufs.add(sn.u());
      bufs.add(sn.vu());
    }
    this.buffers = List.copyOf(bufs);
    this.inputShape = inputShape.clone();
    this.outputShape = outputShape.clone();
    buildGradientGraph(inputsNeedingGradients);
  }

  /**
   * SameDiff M2.1 prints one "Added differentiated op" line per op to System.out while it builds the
   * gradient graph (a leftover debug print, not a log call); build it now with that stream muted.
   */
  private void buildGradientGraph(String[] inputsNeedingGradients) {
    createGradFunctionQuietly(sd, inputsNeedingGradients);
  }

  /** {@code sd.createGradFunction(inputs)} with SameDiff's per-op debug print muted. */
  public static void createGradFunctionQuietly(SameDiff sd, String... inputsNeedingGradients) {
    java.io.PrintStream out = System.out;
    synchronized (System.class) {
      try {
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        sd.createGradFunction(inputsNeedingGradients);
      } finally {
        System.setOut(out);
      }
    }
  }

  /** Adds a listener to the graph and to its gradient graph (calculateGradients runs the latter). */
  public void listen(Listener listener) {
    sd.addListeners(listener);
    SameDiff grad = sd.getFunction("grad");
    if (grad != null) {
      grad.addListeners(listener);
    }
  }

  public String model() {
    return model;
  }

  public DataType dataType() {
    return dtype;
  }

  public SameDiff sameDiff() {
    return sd;
  }

  public List<String> trainableParameters() {
    return trainable;
  }

  public List<String> buffers() {
    return buffers;
  }

  public List<BatchNormState> batchNorms() {
    return batchNorms;
  }

  /** Spectrally normalised layers, whose power iteration the owner advances after each update. */
  public List<SpectralNorm.Layer> spectralNorms() {
    return spectralNorms;
  }

  public long[] inputShape() {
    return inputShape.clone();
  }

  public long[] outputShape() {
    return outputShape.clone();
  }

  /** The live array of a parameter or buffer (updates to it change the network). */
  public INDArray array(String name) {
    INDArray arr = sd.getArrForVarName(name);
    if (arr == null) {
      throw new IllegalArgumentException("no variable " + name + " in " + model);
    }
    return arr;
  }

  /** Trainable parameters and buffers, in a stable order. */
  public Map<String, INDArray> state() {
    Map<String, INDArray> all = new LinkedHashMap<>();
    for (String n : trainable) {
      all.put(n, array(n));
    }
    for (String n : buffers) {
      all.put(n, array(n));
    }
    return all;
  }

  public long parameterCount() {
    long n = 0;
    for (String p : trainable) {
      n += array(p).length();
    }
    return n;
  }

  public Map<String, INDArray> output(Map<String, INDArray> placeholders, String... outputs) {
    return sd.output(placeholders, outputs);
  }

  /**
   * One forward and backward pass of the graph's loss: the requested outputs and gradients. First gives back the
   * off-heap memory of earlier passes' dead arrays if the process has grown ({@link NativeMemoryReclaimer}).
   */
  public OutAndGrad forwardBackward(Map<String, INDArray> placeholders, Collection<String> outputs,
      Collection<String> gradientsFor) {
    NativeMemoryReclaimer.process().reclaimIfGrown();
    return sd.calculateGradientsAndOutputs(placeholders, outputs, gradientsFor);
  }

  /** Names of the batch statistics a training-mode forward can also return. */
  public List<String> batchStatisticOutputs() {
    List<String> names = new ArrayList<>();
    for (BatchNormState bn : batchNorms) {
      names.add(bn.batchMean());
      names.add(bn.batchVar());
    }
    return names;
  }

  /**
   * Sets every batch-norm layer's inference statistics to the mean of the batch statistics of
   * training-mode passes over {@code batches} (standing statistics): the statistics of these weights,
   * where a running average over training steps mixes in the statistics of earlier weights.
   */
  public void setStandingStatistics(List<Map<String, INDArray>> batches) {
    if (batchNorms.isEmpty()) {
      return;
    }
    Map<String, INDArray> sums = new LinkedHashMap<>();
    String[] outs = batchStatisticOutputs().toArray(String[]::new);
    for (Map<String, INDArray> feed : batches) {
      for (Map.Entry<String, INDArray> e : sd.output(feed, outs).entrySet()) {
        sums.merge(e.getKey(), e.getValue().castTo(DataType.DOUBLE), INDArray::addi);
      }
    }
    for (BatchNormState bn : batchNorms) {
      assignMean(array(bn.runningMean()), sums.get(bn.batchMean()), batches.size());
      assignMean(array(bn.runningVar()), sums.get(bn.batchVar()), batches.size());
    }
  }

  private static void assignMean(INDArray target, INDArray sum, int count) {
    target.assign(sum.div(count).reshape(target.shape()).castTo(target.dataType()));
  }
}
