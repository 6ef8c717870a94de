package io.gancluster.discriminator.objective;

import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A projection D that also carries AC-GAN's class head: it is fed each image's label for the projection
 * term and the class targets and weights of {@link AuxiliaryClassifier} for the head.
 */
final class ProjectionWithClassifier extends LabelChannel {
  private final AuxiliaryClassifier head;

  ProjectionWithClassifier(int classes, double generatorWeight) {
    super(classes);
    this.head = new AuxiliaryClassifier(classes, generatorWeight);
  }

  @Override
  public void feedCriticStep(CriticBatch batch, double realTarget, Map<String, INDArray> feed) {
    super.feedCriticStep(batch, realTarget, feed);
    head.feedClassHead(batch, feed);
  }

  @Override
  public void feedGeneratorGradient(int[] fakeLabels, DataType dt, Map<String, INDArray> feed) {
    super.feedGeneratorGradient(fakeLabels, dt, feed);
    head.feedClassHead(fakeLabels, dt, feed);
  }
}
