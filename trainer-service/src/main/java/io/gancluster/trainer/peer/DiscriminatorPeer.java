package io.gancluster.trainer.peer;

import org.nd4j.linalg.api.ndarray.INDArray;

/** What the coordinator needs from the discriminator, in tensors. Remote (gRPC) or in-process. */
public interface DiscriminatorPeer {
  DStep trainStep(long stepId, INDArray real, INDArray fake);

  GGradient generatorGradient(long stepId, INDArray fake);

  byte[] exportState();

  long importState(byte[] state);

  String describe();

  /** Optimizer updates the discriminator has taken so far. */
  long updates();

  /** A discriminator step's report. */
  record DStep(double loss, double realScore, double fakeScore, long updates) {}

  /** The generator's loss and dL_G/dx. */
  record GGradient(double loss, INDArray gradImages) {}
}
