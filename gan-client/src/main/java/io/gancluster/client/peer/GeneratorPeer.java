package io.gancluster.client.peer;

import org.nd4j.linalg.api.ndarray.INDArray;

/** What the coordinator needs from the generator, in tensors. Remote (gRPC) or in-process. */
public interface GeneratorPeer {
  /** G(z) (or G(z, labels)) in training mode; with keepForBackward the service keeps the pass under stepId. */
  INDArray generate(long stepId, INDArray z, int[] labels, boolean keepForBackward);

  /**
   * Back-propagates dL_G/dx through the kept pass; returns G's update count afterwards. A null gradient
   * skips the update (NaN/Inf upstream): the count advances, the parameters do not change.
   */
  long applyGradient(long stepId, INDArray gradImages);

  /** Inference-mode samples from z drawn from seed; labels for a conditional model (null: every class in turn). */
  INDArray sample(int count, long seed, int[] labels);

  byte[] exportState();

  /** Returns the update count the state carries. */
  long importState(byte[] state);

  /** Where it lives, for messages ("generator-service at 127.0.0.1:9091"). */
  String describe();

  /** Tells the generator which parameters it holds (a checkpoint id) and the names of the classes. */
  void publishModel(String version, java.util.List<String> labelNames);

  /** Optimizer updates the generator has taken so far. */
  long updates();

  /** What the service was configured with; must equal the run preset's {@code generatorRecipe()}. */
  String recipe();

  /** Where it computes (ND4J backend and device), for the run's log; in-process peers share this JVM's. */
  default String compute() {
    return io.gancluster.core.compute.ComputeDevice.current().describe();
  }
}
