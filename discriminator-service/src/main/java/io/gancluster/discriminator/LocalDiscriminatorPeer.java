package io.gancluster.discriminator;

import io.gancluster.client.peer.DiscriminatorPeer;
import io.gancluster.core.model.recipe.Preset;
import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The discriminator in the caller's own process, called directly: no gRPC, no protobuf. The reference
 * the split cluster is checked against (equivalence tests) and measured against (`gan bench`); not a
 * way to run training.
 */
public final class LocalDiscriminatorPeer implements DiscriminatorPeer {
  private final DiscriminatorTrainer d;

  public LocalDiscriminatorPeer(Preset preset, long seed, DataType dtype) {
    this.d = new DiscriminatorTrainer(preset, dtype, seed);
  }

  /** Adds a SameDiff listener to D's graphs, for `gan bench --ops`. */
  public void listen(Listener listener) {
    d.listen(listener);
  }

  @Override
  public DStep trainStep(long stepId, INDArray real, int[] realLabels, INDArray fake, int[] fakeLabels) {
    DiscriminatorTrainer.StepResult r = d.trainStep(stepId, real, realLabels, fake, fakeLabels);
    return new DStep(r.loss(), r.realScore(), r.fakeScore(), r.wassersteinEstimate(), r.penalty(), r.gradNorm(),
        r.updates(), r.skipped());
  }

  @Override
  public GGradient generatorGradient(long stepId, INDArray fake, int[] fakeLabels, INDArray real) {
    DiscriminatorTrainer.GeneratorGradient r = d.generatorGradient(stepId, fake, fakeLabels, real);
    return new GGradient(r.loss(), r.gradImages());
  }

  @Override
  public byte[] exportState() {
    return d.exportState();
  }

  @Override
  public long importState(byte[] state) {
    return d.importState(state);
  }

  @Override
  public long updates() {
    return d.updates();
  }

  @Override
  public String recipe() {
    return d.recipe();
  }

  @Override
  public String describe() {
    return "in-process discriminator";
  }
}
