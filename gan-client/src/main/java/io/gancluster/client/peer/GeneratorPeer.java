package io.gancluster.client.peer;

import org.nd4j.linalg.api.ndarray.INDArray;

/** What the coordinator needs from the generator, in tensors. Remote (gRPC) or in-process. */
public interface GeneratorPeer extends NetworkPeer {
  /** G(z) (or G(z, labels)) in training mode; with keepForBackward the service keeps the pass under stepId. */
  INDArray generate(long stepId, INDArray z, int[] labels, boolean keepForBackward);

  /**
   * Back-propagates dL_G/dx through the kept pass; returns G's update count afterwards. A null gradient
   * skips the update (NaN/Inf upstream): the count advances, the parameters do not change.
   */
  long applyGradient(long stepId, INDArray gradImages);

  /** Inference-mode samples from z drawn from seed; labels for a conditional model (null: every class in turn). */
  INDArray sample(int count, long seed, int[] labels);

  /** Tells the generator which parameters it holds (a checkpoint id) and the names of the classes. */
  void publishModel(String version, java.util.List<String> labelNames);
}
