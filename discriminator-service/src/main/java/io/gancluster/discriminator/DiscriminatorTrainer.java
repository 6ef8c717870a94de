package io.gancluster.discriminator;

import io.gancluster.core.model.Discriminators;
import io.gancluster.core.model.Discriminators.Role;
import io.gancluster.core.model.Objective;
import io.gancluster.core.model.Objective.Loss;
import io.gancluster.core.model.Preset;
import io.gancluster.core.nn.AdamOptimizer;
import io.gancluster.core.nn.Network;
import io.gancluster.core.nn.NetworkState;
import io.gancluster.core.nn.TrainableNetwork;
import io.gancluster.core.random.Seeds;
import io.gancluster.core.tensor.InvalidTensorException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The discriminator's logic, free of gRPC and Vert.x: its optimizer step on real and fake batches
 * under the run's {@link Objective} (with the gradient penalty or weight clipping where the loss asks
 * for them), and the generator loss's gradient with respect to fake images (D unchanged). Not
 * thread-safe: one worker thread owns it.
 *
 * <p>D is built twice with the same parameter names (see {@link Discriminators.Role}): the critic-step
 * graph owns the parameters and the optimizer; the generator-gradient graph gets a copy of them,
 * refreshed lazily after D changed (a few MB of memcpy, no recomputation).
 */
public final class DiscriminatorTrainer implements TrainableNetwork {
  private final Preset preset;
  private final Objective objective;
  private final long seed;
  private final Network critic;
  private final Network probe;
  private final AdamOptimizer optimizer;
  private boolean probeStale = true;
  private long lastStepId = Long.MIN_VALUE;
  private StepResult lastResult;

  /** @param preset the run's resolved preset: D architecture, objective and D's Adam settings */
  public DiscriminatorTrainer(Preset preset, DataType dtype, long seed) {
    this.preset = preset;
    this.objective = preset.objective();
    this.seed = seed;
    this.critic = Discriminators.build(preset.model(), objective, Role.CRITIC_STEP, dtype, seed);
    this.probe = Discriminators.build(preset.model(), objective, Role.GENERATOR_GRADIENT, dtype, seed);
    this.optimizer = new AdamOptimizer(critic, preset.discriminatorAdam().learningRate(),
        preset.discriminatorAdam().beta1(), preset.discriminatorAdam().beta2());
  }

  @Override
  public Network network() {
    return critic;
  }

  @Override
  public long updates() {
    return optimizer.updates();
  }

  @Override
  public String recipe() {
    return preset.discriminatorRecipe();
  }

  public Objective objective() {
    return objective;
  }

  /**
   * One optimizer step of D. Idempotent per step id: a repeated id (a retried call whose answer was
   * lost) returns the first result without updating again. Real and fake batches have the same size:
   * D sees them in one pass, and batch-statistic layers treat each half on its own.
   */
  public StepResult trainStep(long stepId, INDArray real, INDArray fake) {
    if (stepId == lastStepId && lastResult != null) {
      return lastResult;
    }
    if (!Arrays.equals(real.shape(), fake.shape())) {
      throw new InvalidTensorException("real and fake batches must have the same shape, got "
          + Arrays.toString(real.shape()) + " and " + Arrays.toString(fake.shape()));
    }
    DataType dt = critic.dataType();
    long n = real.size(0);
    INDArray r = real.castTo(dt);
    INDArray f = fake.castTo(dt);
    INDArray x = Nd4j.concat(0, r, f);
    double realTarget = objective.loss() == Loss.BCE || objective.loss() == Loss.LSGAN ? objective.realLabel() : 1.0;
    INDArray target = Nd4j.vstack(Nd4j.valueArrayOf(new long[] {n, 1}, realTarget, dt), Nd4j.zeros(dt, n, 1));
    INDArray weight = Nd4j.valueArrayOf(new long[] {2 * n, 1}, 1.0 / n, dt);
    Map<String, INDArray> feed = new java.util.HashMap<>(
        Map.of(Discriminators.IMAGE, x, Discriminators.TARGET, target, Discriminators.WEIGHT, weight));
    List<String> outputs = new ArrayList<>(List.of(Discriminators.SCORE, Discriminators.LOSS));
    boolean penalty = objective.loss() == Loss.WGAN_GP;
    if (penalty) {
      feed.put(Discriminators.INTERPOLATES, interpolates(stepId, r, f));
      outputs.add(Discriminators.PENALTY);
      outputs.add(Discriminators.GRAD_NORM);
    }
    OutAndGrad out = critic.forwardBackward(feed, outputs, critic.trainableParameters());
    Map<String, INDArray> o = out.getOutputs();
    INDArray score = o.get(Discriminators.SCORE);
    double realMean = score.get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).meanNumber().doubleValue();
    double fakeMean = score.get(NDArrayIndex.interval(n, 2 * n), NDArrayIndex.all()).meanNumber().doubleValue();
    double realScore = realMean;
    double fakeScore = fakeMean;
    if (objective.loss() == Loss.BCE) {
      INDArray prob = Transforms.sigmoid(score, true);
      realScore = prob.get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).meanNumber().doubleValue();
      fakeScore = prob.get(NDArrayIndex.interval(n, 2 * n), NDArrayIndex.all()).meanNumber().doubleValue();
    }
    optimizer.step(out.getGradients());
    if (objective.loss() == Loss.WGAN_CLIP) {
      double c = objective.clipValue();
      for (String p : critic.trainableParameters()) {
        INDArray a = critic.array(p);
        a.assign(Transforms.min(Transforms.max(a, -c, false), c, false));
      }
    }
    probeStale = true;
    lastStepId = stepId;
    lastResult = new StepResult(o.get(Discriminators.LOSS).getDouble(0), realScore, fakeScore, realMean - fakeMean,
        penalty ? o.get(Discriminators.PENALTY).getDouble(0) : Double.NaN,
        penalty ? o.get(Discriminators.GRAD_NORM).getDouble(0) : Double.NaN, optimizer.updates());
    return lastResult;
  }

  /** x̂ = α·real + (1 − α)·fake, α ~ U(0, 1) per sample, drawn from (seed, step): a retry draws the same. */
  private INDArray interpolates(long stepId, INDArray real, INDArray fake) {
    int n = (int) real.size(0);
    SplittableRandom rng = Seeds.rng(seed, Seeds.Stream.PENALTY, stepId);
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = rng.nextDouble();
    }
    INDArray alpha = Nd4j.createFromArray(a).castTo(real.dataType()).reshape(n, 1, 1, 1);
    return real.mul(alpha).addi(fake.mul(alpha.rsub(1.0)));
  }

  /**
   * L_G on these fakes and dL_G/dx, same shape as {@code fake}; D's parameters do not change.
   *
   * @param real a real batch, needed (only) under feature matching: L_G = ‖mean f(real) − mean f(fake)‖²
   */
  public GeneratorGradient generatorGradient(INDArray fake, INDArray real) {
    refreshProbe();
    DataType dt = probe.dataType();
    long n = fake.size(0);
    Map<String, INDArray> feed;
    if (objective.featureMatching()) {
      if (real == null) {
        throw new InvalidTensorException("feature matching needs the real batch with the generator's fakes");
      }
      INDArray features = probe.output(Map.of(Discriminators.IMAGE, real.castTo(dt)), Discriminators.FEATURES)
          .get(Discriminators.FEATURES);
      feed = Map.of(Discriminators.IMAGE, fake.castTo(dt), Discriminators.FEATURE_TARGET, features.mean(true, 0));
    } else {
      feed = Map.of(Discriminators.IMAGE, fake.castTo(dt),
          Discriminators.WEIGHT, Nd4j.valueArrayOf(new long[] {n, 1}, 1.0 / n, dt));
    }
    OutAndGrad r = probe.forwardBackward(feed, List.of(Discriminators.LOSS), List.of(Discriminators.IMAGE));
    return new GeneratorGradient(r.getOutputs().get(Discriminators.LOSS).getDouble(0),
        r.getGradients().get(Discriminators.IMAGE));
  }

  /** Scores for a batch, as the generator-gradient graph sees it (no update); for checks and evaluation. */
  public INDArray scores(INDArray images) {
    refreshProbe();
    return probe.output(Map.of(Discriminators.IMAGE, images.castTo(probe.dataType())), Discriminators.SCORE)
        .get(Discriminators.SCORE);
  }

  private void refreshProbe() {
    if (probeStale) {
      for (String p : critic.trainableParameters()) {
        probe.array(p).assign(critic.array(p));
      }
      probeStale = false;
    }
  }

  @Override
  public byte[] exportState() {
    return NetworkState.export(critic, optimizer);
  }

  @Override
  public long importState(byte[] blob) {
    long updates = NetworkState.restore(blob, critic, optimizer);
    probeStale = true;
    lastStepId = Long.MIN_VALUE;
    lastResult = null;
    return updates;
  }

  /**
   * What a D step reports. Under bce the scores are mean σ(l), D's belief that the batch is real;
   * under the other losses they are mean raw scores. {@code wassersteinEstimate} = mean l_real − mean l_fake.
   * {@code penalty} (λ included) and {@code gradNorm} (mean ‖∇ₓD(x̂)‖) are NaN without wgan-gp.
   */
  public record StepResult(double loss, double realScore, double fakeScore, double wassersteinEstimate,
      double penalty, double gradNorm, long updates) {}

  /** The generator loss and its gradient with respect to the fake images. */
  public record GeneratorGradient(double loss, INDArray gradImages) {}
}
