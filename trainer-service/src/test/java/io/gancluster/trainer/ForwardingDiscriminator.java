package io.gancluster.trainer;

import io.gancluster.client.peer.DiscriminatorPeer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A test discriminator peer that forwards to whatever discriminator is current; override to inject faults. */
class ForwardingDiscriminator implements DiscriminatorPeer {
  private final java.util.function.Supplier<DiscriminatorPeer> target;

  ForwardingDiscriminator(java.util.function.Supplier<DiscriminatorPeer> target) {
    this.target = target;
  }

  @Override
  public DStep trainStep(long stepId, INDArray real, int[] rl, INDArray fake, int[] fl) {
    return target.get().trainStep(stepId, real, rl, fake, fl);
  }

  @Override
  public GGradient generatorGradient(long stepId, INDArray fake, int[] fl, INDArray real) {
    return target.get().generatorGradient(stepId, fake, fl, real);
  }

  @Override
  public byte[] exportState() {
    return target.get().exportState();
  }

  @Override
  public long importState(byte[] state) {
    return target.get().importState(state);
  }

  @Override
  public String describe() {
    return "discriminator";
  }

  @Override
  public long updates() {
    return target.get().updates();
  }

  @Override
  public String recipe() {
    return target.get().recipe();
  }
}
