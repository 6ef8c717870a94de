package io.gancluster.discriminator.objective;

import io.gancluster.core.model.graph.Discriminators;
import io.gancluster.core.model.graph.Labels;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A D fed each image's label (as a second image channel, or by projection) that judges (image, label) pairs. */
class LabelChannel implements LabelScheme {
  protected final int classes;

  LabelChannel(int classes) {
    this.classes = classes;
  }

  @Override
  public void feedCriticStep(CriticBatch batch, double realTarget, Map<String, INDArray> feed) {
    batch.feedRealThenFake(feed, realTarget);
    feed.put(Discriminators.LABEL, Labels.oneHot(batch.labels(), classes, batch.dataType()));
  }

  @Override
  public void feedGeneratorGradient(int[] fakeLabels, DataType dt, Map<String, INDArray> feed) {
    feed.put(Discriminators.LABEL, Labels.oneHot(fakeLabels, classes, dt));
  }

  @Override
  public void feedScores(int[] labels, int rows, DataType dt, Map<String, INDArray> feed) {
    int[] l = Labels.check(Labels.boxed(labels), rows, classes, "labels");
    feed.put(Discriminators.LABEL, Labels.oneHot(l, classes, dt));
  }
}
