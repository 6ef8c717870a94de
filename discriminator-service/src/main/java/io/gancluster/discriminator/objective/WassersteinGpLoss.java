package io.gancluster.discriminator.objective;

import io.gancluster.core.model.graph.Discriminators;
import io.gancluster.core.random.Seeds;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** wgan-gp: the graph adds λ(‖∇D(x̂)‖ − 1)² at random interpolates x̂ of the real and fake batches. */
final class WassersteinGpLoss implements CriticLoss {
  private final long seed;

  WassersteinGpLoss(long seed) {
    this.seed = seed;
  }

  @Override
  public void addInputs(CriticBatch batch, Map<String, INDArray> feed, List<String> outputs) {
    feed.put(Discriminators.INTERPOLATES, interpolates(batch));
    outputs.add(Discriminators.PENALTY);
    outputs.add(Discriminators.GRAD_NORM);
  }

  @Override
  public double penalty(Map<String, INDArray> outputs) {
    return outputs.get(Discriminators.PENALTY).getDouble(0);
  }

  @Override
  public double gradNorm(Map<String, INDArray> outputs) {
    return outputs.get(Discriminators.GRAD_NORM).getDouble(0);
  }

  /** x̂ = α·real + (1 − α)·fake, α ~ U(0, 1) per sample, drawn from (seed, step): a retry draws the same. */
  private INDArray interpolates(CriticBatch batch) {
    INDArray real = batch.real();
    int n = batch.size();
    SplittableRandom rng = Seeds.rng(seed, Seeds.Stream.PENALTY, batch.stepId());
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = rng.nextDouble();
    }
    INDArray alpha = Nd4j.createFromArray(a).castTo(real.dataType()).reshape(n, 1, 1, 1);
    return real.mul(alpha).addi(batch.fake().mul(alpha.rsub(1.0)));
  }
}
