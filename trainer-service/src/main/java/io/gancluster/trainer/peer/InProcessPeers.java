package io.gancluster.trainer.peer;

import io.gancluster.core.model.Preset;
import io.gancluster.discriminator.DiscriminatorTrainer;
import io.gancluster.generator.GeneratorTrainer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Both networks in this process, called directly: no gRPC, no protobuf. This is the reference the
 * split cluster is checked against (equivalence test) and measured against (benchmark); it is not a
 * way to run training.
 */
public final class InProcessPeers {
  private InProcessPeers() {}

  public static GeneratorPeer generator(Preset preset, long seed, DataType dtype) {
    GeneratorTrainer g = new GeneratorTrainer(preset, dtype, seed);
    return new GeneratorPeer() {
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
      public void publishModel(String version, java.util.List<String> labelNames) {
        // in process there is no serving API to tell
      }

      @Override
      public INDArray sample(int count, long s, int[] labels) {
        return g.sample(count, s, labels);
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
    };
  }

  public static DiscriminatorPeer discriminator(Preset preset, long seed, DataType dtype) {
    DiscriminatorTrainer d = new DiscriminatorTrainer(preset, dtype, seed);
    return new DiscriminatorPeer() {
      @Override
      public DStep trainStep(long stepId, INDArray real, int[] realLabels, INDArray fake, int[] fakeLabels) {
        DiscriminatorTrainer.StepResult r = d.trainStep(stepId, real, realLabels, fake, fakeLabels);
        return new DStep(r.loss(), r.realScore(), r.fakeScore(), r.wassersteinEstimate(), r.penalty(), r.gradNorm(),
            r.updates(), r.skipped());
      }

      @Override
      public GGradient generatorGradient(long stepId, INDArray fake, int[] fakeLabels, INDArray real) {
        DiscriminatorTrainer.GeneratorGradient r = d.generatorGradient(fake, fakeLabels, real);
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
    };
  }
}
