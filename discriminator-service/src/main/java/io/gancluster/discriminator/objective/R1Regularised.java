package io.gancluster.discriminator.objective;

import io.gancluster.core.model.graph.Discriminators;
import io.gancluster.core.nn.Network;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * R1 regularisation on top of any loss family: D's graph adds (γ/2)·mean ‖∇ₓD(x)‖² over the real rows
 * of the critic step (the images D's real term sees, augmented where augmentation is on); this feeds
 * the rows' weights and reports the term through the penalty slot (added to wgan-gp's penalty when
 * both are on) and mean ‖∇ₓD(x)‖ on the reals through the gradient-norm slot (unless wgan-gp reports
 * its interpolates' there).
 */
final class R1Regularised implements CriticLoss {
  private final CriticLoss loss;

  R1Regularised(CriticLoss loss) {
    this.loss = loss;
  }

  @Override
  public double realTarget() {
    return loss.realTarget();
  }

  @Override
  public boolean reportsProbabilities() {
    return loss.reportsProbabilities();
  }

  @Override
  public void addInputs(CriticBatch batch, Map<String, INDArray> feed, List<String> outputs) {
    loss.addInputs(batch, feed, outputs);
    // the reals come first in every critic step's rows (real, fake, and matching-aware's wrong pairs)
    int n = batch.size();
    long rows = feed.get(Discriminators.IMAGE).size(0);
    feed.put(Discriminators.R1_WEIGHT, Nd4j.vstack(
        Nd4j.valueArrayOf(new long[] {n, 1}, 1.0 / n, batch.dataType()),
        Nd4j.zeros(batch.dataType(), rows - n, 1)));
    outputs.add(Discriminators.R1_PENALTY);
    outputs.add(Discriminators.R1_GRAD_NORM);
  }

  @Override
  public double penalty(Map<String, INDArray> outputs) {
    double r1 = outputs.get(Discriminators.R1_PENALTY).getDouble(0);
    double other = loss.penalty(outputs);
    return Double.isNaN(other) ? r1 : other + r1;
  }

  @Override
  public double gradNorm(Map<String, INDArray> outputs) {
    double other = loss.gradNorm(outputs);
    return Double.isNaN(other) ? outputs.get(Discriminators.R1_GRAD_NORM).getDouble(0) : other;
  }

  @Override
  public void afterUpdate(Network critic) {
    loss.afterUpdate(critic);
  }
}
