package io.gancluster.discriminator;

import io.gancluster.core.model.Discriminators;
import io.gancluster.core.nn.AdamOptimizer;
import io.gancluster.core.nn.Network;
import io.gancluster.core.nn.TrainableNetwork;
import io.gancluster.core.nn.NetworkState;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The discriminator's logic, free of gRPC and Vert.x: its optimizer step on real and fake batches,
 * and the generator loss's gradient with respect to fake images (D unchanged). Not thread-safe: one
 * worker thread owns it.
 *
 * <p>Losses are the standard GAN pair with logits l: L_D = mean_real softplus(−l) + mean_fake softplus(l),
 * L_G = mean_fake softplus(−l) (non-saturating).
 */
public final class DiscriminatorTrainer implements TrainableNetwork {
  private final Network network;
  private final AdamOptimizer optimizer;
  private long lastStepId = Long.MIN_VALUE;
  private StepResult lastResult;

  public DiscriminatorTrainer(Network network, double learningRate, double beta1, double beta2) {
    this.network = network;
    this.optimizer = new AdamOptimizer(network, learningRate, beta1, beta2);
  }

  @Override
  public Network network() {
    return network;
  }

  @Override
  public long updates() {
    return optimizer.updates();
  }

  /**
   * One Adam step of D. Idempotent per step id: a repeated id (a retried call whose answer was lost)
   * returns the first result without updating again.
   */
  public StepResult trainStep(long stepId, INDArray real, INDArray fake) {
    if (stepId == lastStepId && lastResult != null) {
      return lastResult;
    }
    long nr = real.size(0);
    long nf = fake.size(0);
    INDArray x = Nd4j.concat(0, real.castTo(network.dataType()), fake.castTo(network.dataType()));
    INDArray target = Nd4j.vstack(Nd4j.ones(network.dataType(), nr, 1), Nd4j.zeros(network.dataType(), nf, 1));
    INDArray weight = Nd4j.vstack(Nd4j.valueArrayOf(new long[] {nr, 1}, 1.0 / nr, network.dataType()),
        Nd4j.valueArrayOf(new long[] {nf, 1}, 1.0 / nf, network.dataType()));
    OutAndGrad r = network.forwardBackward(
        Map.of(Discriminators.IMAGE, x, Discriminators.TARGET, target, Discriminators.WEIGHT, weight),
        List.of(Discriminators.LOGIT, Discriminators.LOSS), network.trainableParameters());
    INDArray prob = Transforms.sigmoid(r.getOutputs().get(Discriminators.LOGIT), true);
    double realScore = prob.get(NDArrayIndex.interval(0, nr), NDArrayIndex.all()).meanNumber().doubleValue();
    double fakeScore = prob.get(NDArrayIndex.interval(nr, nr + nf), NDArrayIndex.all()).meanNumber().doubleValue();
    double loss = r.getOutputs().get(Discriminators.LOSS).getDouble(0);
    optimizer.step(r.getGradients());
    lastStepId = stepId;
    lastResult = new StepResult(loss, realScore, fakeScore, optimizer.updates());
    return lastResult;
  }

  /** L_G on these fakes and dL_G/dx, same shape as {@code fake}; D's parameters do not change. */
  public GeneratorGradient generatorGradient(INDArray fake) {
    long n = fake.size(0);
    INDArray x = fake.castTo(network.dataType());
    OutAndGrad r = network.forwardBackward(
        Map.of(Discriminators.IMAGE, x,
            Discriminators.TARGET, Nd4j.ones(network.dataType(), n, 1),
            Discriminators.WEIGHT, Nd4j.valueArrayOf(new long[] {n, 1}, 1.0 / n, network.dataType())),
        List.of(Discriminators.LOSS), List.of(Discriminators.IMAGE));
    return new GeneratorGradient(r.getOutputs().get(Discriminators.LOSS).getDouble(0),
        r.getGradients().get(Discriminators.IMAGE));
  }

  /** Logits for a batch (no update); used by gradient checks and evaluation. */
  public INDArray logits(INDArray images) {
    return network.output(Map.of(Discriminators.IMAGE, images.castTo(network.dataType())), Discriminators.LOGIT)
        .get(Discriminators.LOGIT);
  }

  @Override
  public byte[] exportState() {
    return NetworkState.export(network, optimizer);
  }

  @Override
  public long importState(byte[] blob) {
    long updates = NetworkState.restore(blob, network, optimizer);
    lastStepId = Long.MIN_VALUE;
    lastResult = null;
    return updates;
  }

  /** What a D step reports. Scores are mean sigmoid(logit): D's belief that the batch is real. */
  public record StepResult(double loss, double realScore, double fakeScore, long updates) {}

  /** The generator loss and its gradient with respect to the fake images. */
  public record GeneratorGradient(double loss, INDArray gradImages) {}
}
