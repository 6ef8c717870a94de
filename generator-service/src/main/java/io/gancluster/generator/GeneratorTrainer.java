package io.gancluster.generator;

import io.gancluster.core.model.recipe.AdamSettings;
import io.gancluster.core.model.graph.Generators;
import io.gancluster.core.model.graph.Labels;
import io.gancluster.core.model.recipe.Latent;
import io.gancluster.core.model.recipe.Preset;
import org.nd4j.linalg.api.buffer.DataType;
import io.gancluster.core.nn.AdamOptimizer;
import io.gancluster.core.nn.Network;
import io.gancluster.core.nn.TrainableNetwork;
import io.gancluster.core.nn.NetworkState;
import io.gancluster.core.random.Seeds;
import io.gancluster.core.tensor.InvalidTensorException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The generator's training-side logic, free of gRPC and Vert.x: forward passes that keep what
 * back-propagation needs under a step id, back-propagation of an external image gradient dL/dx with
 * its own Adam, and deterministic sampling. Not thread-safe: one worker thread owns it.
 *
 * <p>What is "kept" is the step's latent batch: SameDiff does not retain activations between calls,
 * so {@link #applyGradient} replays the (deterministic) forward pass and back-propagates in the same
 * graph execution. That costs one extra forward per G step (docs/benchmarks.md) and keeps memory flat.
 */
public final class GeneratorTrainer implements TrainableNetwork {
  /** Images whose batch statistics make the standing statistics. */
  public static final int STANDING_STATISTICS_IMAGES = 1024;
  /** ... in batches of the preset's size, or of this many for presets with smaller batches (fewer passes). */
  public static final int STANDING_STATISTICS_BATCH = 64;
  private static final long STANDING_STATISTICS_SEED = 0x5ee0L;
  /** Forward passes kept for back-propagation at once; older ones are dropped. */
  public static final int MAX_PENDING = 4;

  private final Preset preset;
  private final Network network;
  private final AdamOptimizer optimizer;
  /** The exponential moving average of the weights (null without one); sampling uses it. */
  private final WeightAverage average;
  private boolean sampleRawWeights;
  private final Map<Long, Map<String, INDArray>> pending = new LinkedHashMap<>();
  private long lastAppliedStep = Long.MIN_VALUE;
  /** Whether the inference statistics belong to the current weights (not yet for fresh or imported ones). */
  private boolean statisticsCurrent;
  private double lastGradNorm;
  private boolean lastSkipped;

  /** Whether the last applyGradient skipped its update (asked to, or a NaN/Inf parameter gradient). */
  public boolean lastSkipped() {
    return lastSkipped;
  }

  /** @param preset the run's resolved preset: G architecture, latent distribution and G's Adam settings */
  public GeneratorTrainer(Preset preset, DataType dtype, long seed) {
    this.preset = preset;
    this.network = Generators.build(preset.model(), dtype, seed);
    AdamSettings adam = preset.generatorAdam();
    this.optimizer = new AdamOptimizer(network, adam.learningRate(), adam.beta1(), adam.beta2());
    this.average = preset.emaDecay() > 0
        ? new WeightAverage(network, Generators.build(preset.model(), dtype, seed), preset.emaDecay()) : null;
  }

  /** Sample from the live weights even where the recipe keeps an average (e.g. to compare the two). */
  public GeneratorTrainer sampleRawWeights(boolean raw) {
    this.sampleRawWeights = raw;
    return this;
  }

  /** Whether samples come from the weight average. */
  public boolean samplesAverage() {
    return average != null && !sampleRawWeights;
  }

  @Override
  public String recipe() {
    return preset.generatorRecipe();
  }

  @Override
  public Network network() {
    return network;
  }

  @Override
  public long updates() {
    return optimizer.updates();
  }

  public int zDim() {
    return (int) network.inputShape()[0];
  }

  public int classes() {
    return preset.model().classes();
  }

  /** Training-mode forward pass of an unconditional model. */
  public INDArray generate(long stepId, INDArray z, boolean keepForBackward) {
    return generate(stepId, z, null, keepForBackward);
  }

  /**
   * Training-mode forward pass (batch statistics, running statistics updated).
   *
   * @param labels one class per row of z for a conditional model (checked by {@link Labels#check}); null otherwise
   */
  public INDArray generate(long stepId, INDArray z, int[] labels, boolean keepForBackward) {
    if (z.size(0) < 2) {
      // batch statistics of one image are undefined (ND4J fails inside its reduction); sampling has no such limit
      throw new IllegalArgumentException("a training forward pass needs at least 2 latent rows (batch norm"
          + " normalises over the batch), got " + z.size(0));
    }
    Map<String, INDArray> feed = inputs(z, labels);
    Map<String, INDArray> out = network.output(feed, Generators.IMAGE);
    if (keepForBackward) {
      pending.put(stepId, feed);
      while (pending.size() > MAX_PENDING) {
        pending.remove(pending.keySet().iterator().next());
      }
    }
    return out.get(Generators.IMAGE);
  }

  /**
   * Back-propagates dL/dx for the kept forward pass of {@code stepId} and applies one Adam update.
   * Idempotent per step id: repeating the last applied id (a retried call) does not update again.
   *
   * @return the L2 norm of the parameter gradient
   */
  public double applyGradient(long stepId, INDArray gradImages) {
    if (stepId == lastAppliedStep) {
      return lastGradNorm;
    }
    if (gradImages == null) { // nothing usable upstream (NaN/Inf): count the step, change nothing
      pending.remove(stepId);
      optimizer.skip();
      lastAppliedStep = stepId;
      lastGradNorm = Double.NaN;
      lastSkipped = true;
      return lastGradNorm;
    }
    Map<String, INDArray> kept = pending.get(stepId);
    if (kept == null) {
      throw new NoSuchElementException("unknown step id " + stepId + ": no forward pass kept for it (kept: "
          + pending.keySet() + "); call Generate with keep_for_backward first");
    }
    long[] expected = {kept.get(Generators.Z).size(0), 1, 28, 28};
    if (!Arrays.equals(gradImages.shape(), expected)) {
      throw new InvalidTensorException("grad_images: expected shape " + Arrays.toString(expected)
          + " (the images of step " + stepId + "), got " + Arrays.toString(gradImages.shape()));
    }
    pending.remove(stepId);
    Map<String, INDArray> feed = new java.util.HashMap<>(kept);
    feed.put(Generators.GRAD_IMAGE, gradImages.castTo(network.dataType()));
    OutAndGrad r = network.forwardBackward(feed,
        java.util.List.of(Generators.IMAGE), network.trainableParameters());
    Map<String, INDArray> grads = r.getGradients();
    double sq = 0;
    for (String p : network.trainableParameters()) {
      double n = grads.get(p).norm2Number().doubleValue();
      sq += n * n;
    }
    lastSkipped = !optimizer.stepIfFinite(grads);
    if (!lastSkipped && average != null) {
      average.update(optimizer.updates());
    }
    statisticsCurrent &= lastSkipped;
    lastAppliedStep = stepId;
    lastGradNorm = Math.sqrt(sq);
    return lastGradNorm;
  }

  /** Inference-mode images of an unconditional model (or of every class in turn). */
  public INDArray sample(int count, long seed) {
    return sample(count, seed, null);
  }

  /**
   * Inference-mode images for z drawn from {@code seed} (the preset's latent distribution): same seed,
   * same images. Image i depends only on z_i and its label, never on the rest of the batch.
   *
   * @param labels conditional models: one label for all, or one per image; null cycles through the classes
   */
  public INDArray sample(int count, long seed, int[] labels) {
    return sample(count, seed, labels, 0);
  }

  /** As {@link #sample(int, long, int[])}, with z truncated to [−t, t] (0: no truncation), see {@link Latent}. */
  public INDArray sample(int count, long seed, int[] labels, double truncation) {
    return sampleFrom(Nd4j.create(latent(count, seed, truncation), new long[] {count, zDim()}, 'c'),
        sampleLabels(count, labels));
  }

  /** The z rows (row-major, count x zDim) that {@link #sample} draws for {@code seed}. */
  public float[] latent(int count, long seed, double truncation) {
    return preset.model().latent().draw(Seeds.rng(seed, Seeds.Stream.SAMPLING, 0), count, zDim(), truncation);
  }

  public Preset preset() {
    return preset;
  }

  /** The label of each of {@code count} images: as given, one broadcast to all, or every class in turn; null if unconditional. */
  public int[] sampleLabels(int count, int[] labels) {
    if (classes() == 0 || (labels != null && labels.length == count)) {
      return labels;
    }
    int[] out = new int[count];
    for (int i = 0; i < count; i++) {
      out[i] = labels == null ? i % classes() : labels[0];
    }
    if (labels != null && labels.length != 1) {
      throw new InvalidTensorException("labels: give one label for all " + count + " images or one per image, got "
          + labels.length);
    }
    return out;
  }

  /** Inference-mode images for the given latent batch (and labels, for a conditional model). */
  public INDArray sampleFrom(INDArray z, int[] labels) {
    refreshInferenceStatistics();
    Network sampled = samplesAverage() ? average.averaged() : network;
    return sampled.output(inputs(z, labels), Generators.IMAGE_INFER).get(Generators.IMAGE_INFER);
  }

  /**
   * Batch norm in inference mode uses standing statistics: the mean batch statistics of
   * {@value #STANDING_STATISTICS_IMAGES} images from fixed z (every class in turn) with the current
   * weights, recomputed after the weights change and before they are next used or exported. A running
   * average kept during training mixes the statistics of many earlier weights; with G changing fast
   * that put FD 2 to 5 times higher than the same weights with their own statistics
   * (docs/conditional-results.md).
   */
  public void refreshInferenceStatistics() {
    if (statisticsCurrent) {
      return;
    }
    int batch = Math.max(preset.batchSize(), STANDING_STATISTICS_BATCH);
    java.util.List<Map<String, INDArray>> feeds = new java.util.ArrayList<>();
    for (int b = 0; b * batch < STANDING_STATISTICS_IMAGES; b++) {
      float[] z = preset.model().latent().draw(
          Seeds.rng(STANDING_STATISTICS_SEED, Seeds.Stream.BATCH_NORM_STATISTICS, b), batch, zDim(), 0);
      feeds.add(inputs(Nd4j.create(z, new long[] {batch, zDim()}, 'c'), sampleLabels(batch, null)));
    }
    network.setStandingStatistics(feeds);
    if (average != null) {
      average.averaged().setStandingStatistics(feeds);
    }
    statisticsCurrent = true;
  }

  private Map<String, INDArray> inputs(INDArray z, int[] labels) {
    INDArray zz = z.castTo(network.dataType());
    int[] checked = Labels.check(Labels.boxed(labels), (int) z.size(0), classes(), "labels");
    return checked == null ? Map.of(Generators.Z, zz)
        : Map.of(Generators.Z, zz, Generators.LABEL, Labels.oneHot(checked, classes(), network.dataType()));
  }

  @Override
  public byte[] exportState() {
    refreshInferenceStatistics();
    return NetworkState.export(network, optimizer, average != null ? average.state() : Map.of());
  }

  @Override
  public long importState(byte[] blob) {
    Map<String, INDArray> averaged = average != null ? NetworkState.averages(blob) : Map.of();
    if (average != null) {
      average.check(averaged); // before anything changes: a bad blob leaves the generator as it was
    }
    long updates = NetworkState.restore(blob, network, optimizer);
    if (average != null) {
      average.restore(averaged); // none saved (a run without an average until now): starts from the live weights
    }
    pending.clear();
    statisticsCurrent = false; // recomputed from the weights: older checkpoints hold running averages
    lastAppliedStep = Long.MIN_VALUE;
    return updates;
  }
}
