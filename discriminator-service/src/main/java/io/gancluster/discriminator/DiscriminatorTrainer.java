package io.gancluster.discriminator;

import io.gancluster.core.model.graph.Discriminators;
import io.gancluster.core.model.graph.Discriminators.Role;
import io.gancluster.core.model.graph.Labels;
import io.gancluster.core.model.recipe.Augmentation;
import io.gancluster.core.model.recipe.Objective;
import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.nn.AdamOptimizer;
import io.gancluster.core.nn.Network;
import io.gancluster.core.nn.NetworkState;
import io.gancluster.core.nn.SpectralNorm;
import io.gancluster.core.nn.TrainableNetwork;
import io.gancluster.core.random.Seeds;
import io.gancluster.core.tensor.InvalidTensorException;
import io.gancluster.discriminator.augment.AugmentationDraw;
import io.gancluster.discriminator.objective.CriticBatch;
import io.gancluster.discriminator.objective.CriticLoss;
import io.gancluster.discriminator.objective.LabelScheme;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The discriminator's logic, free of gRPC and Vert.x: its optimizer step on real and fake batches
 * under the run's {@link Objective} (with the gradient penalty or weight clipping where the loss asks
 * for them, and R1 regularisation where the objective has it), and the generator loss's gradient with respect to fake images (D unchanged). Not
 * thread-safe: one worker thread owns it.
 *
 * <p>D is built twice with the same parameter names (see {@link Discriminators.Role}): the critic-step
 * graph owns the parameters and the optimizer; the generator-gradient graph gets a copy of them,
 * refreshed lazily after D changed (a few MB of memcpy, no recomputation).
 *
 * <p>What differs per objective lives in two parts picked from the preset: the {@link LabelScheme}
 * (how D uses class labels: none, a label channel, GAN-cls's wrong pairs, AC-GAN's classifier) and
 * the {@link CriticLoss} (label smoothing, WGAN-GP's interpolates, WGAN's weight clipping, R1's real rows).
 */
public final class DiscriminatorTrainer implements TrainableNetwork {
  private final Preset preset;
  private final Objective objective;
  private final int classes;
  private final LabelScheme labelScheme;
  private final CriticLoss criticLoss;
  private final Network critic;
  private final Network probe;
  private final AdamOptimizer optimizer;
  private final Augmentation augmentation;
  private final long seed;
  private boolean probeStale = true;
  private long lastStepId = Long.MIN_VALUE;
  private StepResult lastResult;

  /** @param preset the run's resolved preset: D architecture, objective and D's Adam settings */
  public DiscriminatorTrainer(Preset preset, DataType dtype, long seed) {
    this.preset = preset;
    this.objective = preset.objective();
    this.classes = preset.model().conditioning().classes();
    this.critic = Discriminators.build(preset.model(), objective, Role.CRITIC_STEP, dtype, seed);
    this.probe = Discriminators.build(preset.model(), objective, Role.GENERATOR_GRADIENT, dtype, seed);
    this.optimizer = new AdamOptimizer(critic, preset.discriminatorAdam().learningRate(),
        preset.discriminatorAdam().beta1(), preset.discriminatorAdam().beta2());
    this.labelScheme = LabelScheme.of(preset.model().conditioning(), objective, seed);
    this.criticLoss = CriticLoss.of(objective, seed);
    this.augmentation = objective.augmentation();
    this.seed = seed;
  }

  @Override
  public Network network() {
    return critic;
  }

  /** Adds a SameDiff listener to both of D's graphs (e.g. {@link io.gancluster.core.nn.OpTimes}). */
  public void listen(Listener listener) {
    critic.listen(listener);
    probe.listen(listener);
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
    CriticBatch batch = new CriticBatch(stepId, real.castTo(dt), rl, fake.castTo(dt), fl);
    Map<String, INDArray> feed = new HashMap<>();
    labelScheme.feedCriticStep(batch, criticLoss.realTarget(), feed);
    if (augmentation.enabled()) {
      // every row D judges, real, fake or wrong-label, is augmented; a retried step id draws the same
      INDArray images = feed.get(Discriminators.IMAGE);
      feed.put(Discriminators.IMAGE, draw(images, Seeds.Stream.AUGMENT_CRITIC, stepId).forward(images));
    }
    List<String> outputs = new ArrayList<>(List.of(Discriminators.SCORE, Discriminators.LOSS));
    criticLoss.addInputs(batch, feed, outputs);
    OutAndGrad out = critic.forwardBackward(feed, outputs, critic.trainableParameters());
    Map<String, INDArray> o = out.getOutputs();
    INDArray score = o.get(Discriminators.SCORE);
    double realMean = mean(score, 0, n);
    double fakeMean = mean(score, n, 2 * n);
    double realScore = realMean;
    double fakeScore = fakeMean;
    if (criticLoss.reportsProbabilities()) {
      INDArray prob = Transforms.sigmoid(score, true);
      realScore = mean(prob, 0, n);
      fakeScore = mean(prob, n, 2 * n);
    }
    double loss = o.get(Discriminators.LOSS).getDouble(0);
    boolean applied = Double.isFinite(loss) ? optimizer.stepIfFinite(out.getGradients()) : skipUpdate();
    if (applied) {
      criticLoss.afterUpdate(critic);
      SpectralNorm.iterate(critic, critic.spectralNorms());
    }
    probeStale = true;
    lastStepId = stepId;
    lastResult = new StepResult(loss, realScore, fakeScore, realMean - fakeMean, criticLoss.penalty(o),
        criticLoss.gradNorm(o), optimizer.updates(), !applied);
    return lastResult;
  }

  private AugmentationDraw draw(INDArray images, Seeds.Stream stream, long index) {
    return AugmentationDraw.draw(augmentation, (int) images.size(0), (int) images.size(2), (int) images.size(3),
        Seeds.rng(seed, stream, index));
  }

  /** The mean of rows [from, to) of a [N, 1] score column. */
  private static double mean(INDArray score, int from, int to) {
    return score.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).meanNumber().doubleValue();
  }

  private boolean skipUpdate() {
    optimizer.skip();
    return false;
  }

  /**
   * L_G on these fakes and dL_G/dx, same shape as {@code fake}; D's parameters do not change.
   *
   * @param real a real batch, needed (only) under feature matching: L_G = ‖mean f(real) − mean f(fake)‖²
   */
  public GeneratorGradient generatorGradient(INDArray fake, INDArray real) {
    return generatorGradient(0, fake, null, real);
  }

  /** As {@link #generatorGradient(INDArray, INDArray)}, for fakes made for these labels (conditional models). */
  public GeneratorGradient generatorGradient(INDArray fake, int[] fakeLabels, INDArray real) {
    return generatorGradient(0, fake, fakeLabels, real);
  }

  /**
   * As {@link #generatorGradient(INDArray, int[], INDArray)}; {@code stepId} seeds the augmentation's
   * draw, so a retried request gets the same answer.
   */
  public GeneratorGradient generatorGradient(long stepId, INDArray fake, int[] fakeLabels, INDArray real) {
    refreshProbe();
    DataType dt = probe.dataType();
    int n = (int) fake.size(0);
    int[] fl = Labels.check(Labels.boxed(fakeLabels), n, classes, "fake_labels");
    AugmentationDraw fakeDraw = augmentation.enabled() ? draw(fake, Seeds.Stream.AUGMENT_GENERATOR, 2 * stepId) : null;
    INDArray fakeSeen = fakeDraw != null ? fakeDraw.forward(fake.castTo(dt)) : fake.castTo(dt);
    Map<String, INDArray> feed;
    if (objective.featureMatching()) {
      if (real == null) {
        throw new InvalidTensorException("feature matching needs the real batch with the generator's fakes");
      }
      INDArray realSeen = augmentation.enabled()
          ? draw(real, Seeds.Stream.AUGMENT_GENERATOR, 2 * stepId + 1).forward(real.castTo(dt)) : real.castTo(dt);
      INDArray features = probe.output(Map.of(Discriminators.IMAGE, realSeen), Discriminators.FEATURES)
          .get(Discriminators.FEATURES);
      feed = Map.of(Discriminators.IMAGE, fakeSeen, Discriminators.FEATURE_TARGET, features.mean(true, 0));
    } else {
      feed = Map.of(Discriminators.IMAGE, fakeSeen,
          Discriminators.WEIGHT, Nd4j.valueArrayOf(new long[] {n, 1}, 1.0 / n, dt));
    }
    feed = new HashMap<>(feed);
    labelScheme.feedGeneratorGradient(fl, dt, feed);
    OutAndGrad r = probe.forwardBackward(feed, List.of(Discriminators.LOSS), List.of(Discriminators.IMAGE));
    double loss = r.getOutputs().get(Discriminators.LOSS).getDouble(0);
    INDArray grad = r.getGradients().get(Discriminators.IMAGE);
    if (fakeDraw != null) {
      grad = fakeDraw.backward(grad); // through the augmentation, back to the images G made
    }
    boolean usable = Double.isFinite(loss) && AdamOptimizer.finite(grad);
    return new GeneratorGradient(loss, usable ? grad : null);
  }

  /** Scores for a batch, as the generator-gradient graph sees it (no update); for checks and evaluation. */
  public INDArray scores(INDArray images) {
    return scores(images, null);
  }

  public INDArray scores(INDArray images, int[] labels) {
    refreshProbe();
    Map<String, INDArray> feed = new HashMap<>();
    feed.put(Discriminators.IMAGE, images.castTo(probe.dataType()));
    labelScheme.feedScores(labels, (int) images.size(0), probe.dataType(), feed);
    return probe.output(feed, Discriminators.SCORE).get(Discriminators.SCORE);
  }

  private void refreshProbe() {
    if (probeStale) {
      for (String p : critic.trainableParameters()) {
        probe.array(p).assign(critic.array(p));
      }
      for (SpectralNorm.Layer l : critic.spectralNorms()) {
        probe.array(l.u()).assign(critic.array(l.u()));
        probe.array(l.vu()).assign(critic.array(l.vu()));
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
   * {@code penalty} is wgan-gp's (λ included) plus R1's (γ included) when on; {@code gradNorm} is mean ‖∇ₓD(x̂)‖
   * at wgan-gp's interpolates, else R1's mean ‖∇ₓD(x)‖ on the reals; both are NaN with neither.
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
