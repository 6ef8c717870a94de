package io.gancluster.discriminator;

import io.gancluster.core.model.recipe.Conditioning;
import io.gancluster.core.model.recipe.Conditioning.DiscriminatorLabels;
import io.gancluster.core.model.graph.Discriminators;
import io.gancluster.core.model.graph.Labels;
import io.gancluster.core.model.graph.Discriminators.Role;
import io.gancluster.core.model.recipe.Objective;
import io.gancluster.core.model.recipe.Objective.Loss;
import io.gancluster.core.model.recipe.Preset;
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
  private final Conditioning conditioning;
  private final int classes;
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
    this.conditioning = preset.model().conditioning();
    this.classes = conditioning.classes();
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
    return trainStep(stepId, real, null, fake, null);
  }

  /**
   * One optimizer step of D on labelled batches (conditional models; null labels otherwise). A
   * matching-aware D (GAN-cls) adds the real images with wrong labels, drawn from (seed, step id), as fakes.
   */
  public StepResult trainStep(long stepId, INDArray real, int[] realLabels, INDArray fake, int[] fakeLabels) {
    if (stepId == lastStepId && lastResult != null) {
      return lastResult;
    }
    if (!Arrays.equals(real.shape(), fake.shape())) {
      throw new InvalidTensorException("real and fake batches must have the same shape, got "
          + Arrays.toString(real.shape()) + " and " + Arrays.toString(fake.shape()));
    }
    DataType dt = critic.dataType();
    int n = (int) real.size(0);
    int[] rl = Labels.check(Labels.boxed(realLabels), n, classes, "real_labels");
    int[] fl = Labels.check(Labels.boxed(fakeLabels), n, classes, "fake_labels");
    INDArray r = real.castTo(dt);
    INDArray f = fake.castTo(dt);
    boolean matching = objective.matchingAware();
    INDArray x = matching ? Nd4j.concat(0, r, f, r) : Nd4j.concat(0, r, f);
    double realTarget = objective.loss().hasRealTarget() ? objective.realLabel() : 1.0;
    INDArray target = Nd4j.vstack(Nd4j.valueArrayOf(new long[] {n, 1}, realTarget, dt),
        Nd4j.zeros(dt, (matching ? 2L : 1L) * n, 1));
    // GAN-cls (seed 004): L_D = L(real) + ½L(fake) + ½L(real, wrong label)
    INDArray weight = Nd4j.vstack(Nd4j.valueArrayOf(new long[] {n, 1}, 1.0 / n, dt),
        Nd4j.valueArrayOf(new long[] {(matching ? 2L : 1L) * n, 1}, (matching ? 0.5 : 1.0) / n, dt));
    Map<String, INDArray> feed = new java.util.HashMap<>(
        Map.of(Discriminators.IMAGE, x, Discriminators.TARGET, target, Discriminators.WEIGHT, weight));
    if (conditioning.discriminator() == DiscriminatorLabels.INPUT_CHANNEL) {
      int[] all = matching
          ? concat(rl, fl, Labels.wrong(rl, classes, Seeds.rng(seed, Seeds.Stream.WRONG_LABELS, stepId)))
          : concat(rl, fl);
      feed.put(Discriminators.LABEL, Labels.oneHot(all, classes, dt));
    } else if (conditioning.discriminator() == DiscriminatorLabels.AUXILIARY) {
      // AC-GAN (seed 000): D learns the classes from real images only
      feed.put(Discriminators.CLASS_TARGET, Labels.oneHot(concat(rl, fl), classes, dt));
      feed.put(Discriminators.CLASS_WEIGHT, Nd4j.vstack(
          Nd4j.valueArrayOf(new long[] {n, 1}, Objective.AUX_REAL_WEIGHT / n, dt),
          Nd4j.valueArrayOf(new long[] {n, 1}, Objective.AUX_FAKE_WEIGHT / n, dt)));
    }
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
    if (objective.loss().probabilistic()) {
      INDArray prob = Transforms.sigmoid(score, true);
      realScore = prob.get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).meanNumber().doubleValue();
      fakeScore = prob.get(NDArrayIndex.interval(n, 2 * n), NDArrayIndex.all()).meanNumber().doubleValue();
    }
    double loss = o.get(Discriminators.LOSS).getDouble(0);
    boolean applied = Double.isFinite(loss) ? optimizer.stepIfFinite(out.getGradients()) : skipUpdate();
    if (applied && objective.loss() == Loss.WGAN_CLIP) {
      double c = objective.clipValue();
      for (String p : critic.trainableParameters()) {
        INDArray a = critic.array(p);
        a.assign(Transforms.min(Transforms.max(a, -c, false), c, false));
      }
    }
    probeStale = true;
    lastStepId = stepId;
    lastResult = new StepResult(loss, realScore, fakeScore, realMean - fakeMean,
        penalty ? o.get(Discriminators.PENALTY).getDouble(0) : Double.NaN,
        penalty ? o.get(Discriminators.GRAD_NORM).getDouble(0) : Double.NaN, optimizer.updates(), !applied);
    return lastResult;
  }

  private boolean skipUpdate() {
    optimizer.skip();
    return false;
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
    return generatorGradient(fake, null, real);
  }

  /** As {@link #generatorGradient(INDArray, INDArray)}, for fakes made for these labels (conditional models). */
  public GeneratorGradient generatorGradient(INDArray fake, int[] fakeLabels, INDArray real) {
    refreshProbe();
    DataType dt = probe.dataType();
    int n = (int) fake.size(0);
    int[] fl = Labels.check(Labels.boxed(fakeLabels), n, classes, "fake_labels");
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
    feed = new java.util.HashMap<>(feed);
    if (conditioning.discriminator() == DiscriminatorLabels.INPUT_CHANNEL) {
      feed.put(Discriminators.LABEL, Labels.oneHot(fl, classes, dt));
    } else if (conditioning.discriminator() == DiscriminatorLabels.AUXILIARY) {
      feed.put(Discriminators.CLASS_TARGET, Labels.oneHot(fl, classes, dt));
      feed.put(Discriminators.CLASS_WEIGHT, Nd4j.valueArrayOf(new long[] {n, 1}, Objective.AUX_GENERATOR_WEIGHT / n, dt));
    }
    OutAndGrad r = probe.forwardBackward(feed, List.of(Discriminators.LOSS), List.of(Discriminators.IMAGE));
    double loss = r.getOutputs().get(Discriminators.LOSS).getDouble(0);
    INDArray grad = r.getGradients().get(Discriminators.IMAGE);
    boolean usable = Double.isFinite(loss) && io.gancluster.core.nn.AdamOptimizer.finite(grad);
    return new GeneratorGradient(loss, usable ? grad : null);
  }

  /** Scores for a batch, as the generator-gradient graph sees it (no update); for checks and evaluation. */
  public INDArray scores(INDArray images) {
    return scores(images, null);
  }

  public INDArray scores(INDArray images, int[] labels) {
    refreshProbe();
    Map<String, INDArray> feed = new java.util.HashMap<>();
    feed.put(Discriminators.IMAGE, images.castTo(probe.dataType()));
    if (conditioning.discriminator() == DiscriminatorLabels.INPUT_CHANNEL) {
      int[] l = Labels.check(Labels.boxed(labels), (int) images.size(0), classes, "labels");
      feed.put(Discriminators.LABEL, Labels.oneHot(l, classes, probe.dataType()));
    }
    return probe.output(feed, Discriminators.SCORE).get(Discriminators.SCORE);
  }

  private static int[] concat(int[]... parts) {
    return java.util.Arrays.stream(parts).flatMapToInt(java.util.Arrays::stream).toArray();
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
  /** {@code skipped}: the loss or a gradient was NaN/Inf and the update was not applied. */
  public record StepResult(double loss, double realScore, double fakeScore, double wassersteinEstimate,
      double penalty, double gradNorm, long updates, boolean skipped) {}

  /** The generator loss and its gradient with respect to the fake images. */
  /** {@code gradImages} is null when L_G or dL_G/dx is NaN/Inf: the generator must skip its update. */
  public record GeneratorGradient(double loss, INDArray gradImages) {
    public boolean skipped() {
      return gradImages == null;
    }
  }
}
