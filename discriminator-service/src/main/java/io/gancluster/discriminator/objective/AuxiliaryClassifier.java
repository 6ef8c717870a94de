package io.gancluster.discriminator.objective;

import io.gancluster.core.model.graph.Discriminators;
import io.gancluster.core.model.graph.Labels;
import io.gancluster.core.model.recipe.Objective;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** AC-GAN (Odena et al. 2017): D does not see the label; an auxiliary head classifies the images. */
final class AuxiliaryClassifier implements LabelScheme {
  private final int classes;
  private final double generatorWeight;

  /** @param generatorWeight the head's weight in G's loss ({@link Objective#classWeight()}) */
  AuxiliaryClassifier(int classes, double generatorWeight) {
    this.classes = classes;
    this.generatorWeight = generatorWeight;
  }

  @Override
  public void feedCriticStep(CriticBatch batch, double realTarget, Map<String, INDArray> feed) {
    batch.feedRealThenFake(feed, realTarget);
    feedClassHead(batch, feed);
  }

  /** The head's targets and weights for a critic step's real-then-fake rows. */
  void feedClassHead(CriticBatch batch, Map<String, INDArray> feed) {
    int n = batch.size();
    DataType dt = batch.dataType();
    // D learns the classes from real images only (the fake weight is 0)
    feed.put(Discriminators.CLASS_TARGET, Labels.oneHot(batch.labels(), classes, dt));
    feed.put(Discriminators.CLASS_WEIGHT, Nd4j.vstack(
        Nd4j.valueArrayOf(new long[] {n, 1}, Objective.AUX_REAL_WEIGHT / n, dt),
        Nd4j.valueArrayOf(new long[] {n, 1}, Objective.AUX_FAKE_WEIGHT / n, dt)));
  }

  @Override
  public void feedGeneratorGradient(int[] fakeLabels, DataType dt, Map<String, INDArray> feed) {
    feedClassHead(fakeLabels, dt, feed);
  }

  /** The head's targets and weights for fakes made for these labels. */
  void feedClassHead(int[] fakeLabels, DataType dt, Map<String, INDArray> feed) {
    int n = fakeLabels.length;
    feed.put(Discriminators.CLASS_TARGET, Labels.oneHot(fakeLabels, classes, dt));
    feed.put(Discriminators.CLASS_WEIGHT, Nd4j.valueArrayOf(new long[] {n, 1}, generatorWeight / n, dt));
  }
}
