package io.gancluster.discriminator.objective;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** An unconditional D: real against fake, nothing else. */
final class NoLabels implements LabelScheme {
  @Override
  public void feedCriticStep(CriticBatch batch, double realTarget, Map<String, INDArray> feed) {
    batch.feedRealThenFake(feed, realTarget);
  }
}
