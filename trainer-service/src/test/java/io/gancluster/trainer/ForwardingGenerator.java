package io.gancluster.trainer;

import io.gancluster.client.peer.GeneratorPeer;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A test generator peer that forwards to whatever generator is current (a restarted one is a new object). */
class ForwardingGenerator implements GeneratorPeer {
  private final java.util.function.Supplier<GeneratorPeer> target;

  ForwardingGenerator(java.util.function.Supplier<GeneratorPeer> target) {
    this.target = target;
  }

  @Override
  public INDArray generate(long stepId, INDArray z, int[] labels, boolean keep) {
    return target.get().generate(stepId, z, labels, keep);
  }

  @Override
  public long applyGradient(long stepId, INDArray gradImages) {
    return target.get().applyGradient(stepId, gradImages);
  }

  @Override
  public INDArray sample(int count, long seed, int[] labels) {
    return target.get().sample(count, seed, labels);
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
    return "generator";
  }

  @Override
  public void publishModel(String version, List<String> labelNames) {
    target.get().publishModel(version, labelNames);
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
