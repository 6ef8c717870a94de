package io.gancluster.client.peer;

import org.nd4j.linalg.api.ndarray.INDArray;

/** What the coordinator needs from the discriminator, in tensors. Remote (gRPC) or in-process. */
public interface DiscriminatorPeer extends NetworkPeer {
  /** Labels: the real images' classes and the fakes' requested classes (conditional models; null otherwise). */
  DStep trainStep(long stepId, INDArray real, int[] realLabels, INDArray fake, int[] fakeLabels);

  /** @param real the step's real batch, used under feature matching (remote peers only send it then) */
  GGradient generatorGradient(long stepId, INDArray fake, int[] fakeLabels, INDArray real);

  /** A discriminator step's report. */
  /** {@code skipped}: a NaN/Inf loss or gradient, so D did not apply this update (its count still advanced). */
  record DStep(double loss, double realScore, double fakeScore, double wassersteinEstimate, double penalty,
      double gradNorm, long updates, boolean skipped) {}

  /** The generator's loss and dL_G/dx; a null gradient means NaN/Inf: the generator must skip its update. */
  record GGradient(double loss, INDArray gradImages) {
    public boolean skipped() {
      return gradImages == null;
    }
  }
}
