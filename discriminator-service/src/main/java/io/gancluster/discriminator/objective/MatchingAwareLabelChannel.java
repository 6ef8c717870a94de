package io.gancluster.discriminator.objective;

import io.gancluster.core.model.graph.Discriminators;
import io.gancluster.core.model.graph.Labels;
import io.gancluster.core.random.Seeds;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * GAN-cls (Reed et al. 2016): the critic step also judges the real images with wrong labels as fakes,
 * L_D = L(real) + ½L(fake) + ½L(real, wrong label). Its other graphs are a plain label channel's.
 */
final class MatchingAwareLabelChannel extends LabelChannel {
  private final long seed;

  MatchingAwareLabelChannel(int classes, long seed) {
    super(classes);
    this.seed = seed;
  }

  @Override
  public void feedCriticStep(CriticBatch batch, double realTarget, Map<String, INDArray> feed) {
    // drawn from (seed, step id): a retried step pairs the same wrong labels
    int[] wrong = Labels.wrong(batch.realLabels(), classes, Seeds.rng(seed, Seeds.Stream.WRONG_LABELS, batch.stepId()));
    batch.feedRows(feed, Nd4j.concat(0, batch.real(), batch.fake(), batch.real()), realTarget, 0.5);
    feed.put(Discriminators.LABEL,
        Labels.oneHot(CriticBatch.concat(batch.realLabels(), batch.fakeLabels(), wrong), classes, batch.dataType()));
  }
}
