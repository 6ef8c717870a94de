package io.gancluster.generator;

import io.gancluster.client.peer.GeneratorPeer;
import io.gancluster.core.model.recipe.Preset;
import java.util.List;
import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The generator in the caller's own process, called directly: no gRPC, no protobuf. The reference the
 * split cluster is checked against (equivalence tests) and measured against (`gan bench`); not a way
 * to run training.
 */
public final class LocalGeneratorPeer implements GeneratorPeer {
  private final GeneratorTrainer g;

  public LocalGeneratorPeer(Preset preset, long seed, DataType dtype) {
    this.g = new GeneratorTrainer(preset, dtype, seed);
  }

  /** Adds a SameDiff listener to G's training graph, for `gan bench --ops`. */
  public void listen(Listener listener) {
    g.network().listen(listener);
  }

  @Override
  public INDArray generate(long stepId, INDArray z, int[] labels, boolean keep) {
    return g.generate(stepId, z, labels, keep);
  }

  @Override
  public long applyGradient(long stepId, INDArray grad) {
    g.applyGradient(stepId, grad);
    return g.updates();
  }

  @Override
  public void publishModel(String version, List<String> labelNames) {
    // in process there is no serving API to tell
  }

  @Override
  public INDArray sample(int count, long seed, int[] labels) {
    return g.sample(count, seed, labels);
  }

  @Override
  public byte[] exportState() {
    return g.exportState();
  }

  @Override
  public long importState(byte[] state) {
    return g.importState(state);
  }

  @Override
  public long updates() {
    return g.updates();
  }

  @Override
  public String recipe() {
    return g.recipe();
  }

  @Override
  public String describe() {
    return "in-process generator";
  }
}
