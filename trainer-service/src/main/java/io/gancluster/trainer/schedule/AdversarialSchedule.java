package io.gancluster.trainer.schedule;

import io.gancluster.core.model.graph.Labels;
import io.gancluster.core.model.recipe.Latent;
import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.random.Seeds;
import io.gancluster.client.peer.DiscriminatorPeer;
import io.gancluster.client.peer.GeneratorPeer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The alternating GAN schedule, one step at a time: n_critic discriminator updates, each on its own
 * real batch and a detached fake batch, then a generator update through the discriminator's image
 * gradient. The loss (and any gradient penalty or clipping) is the discriminator service's business.
 *
 * <p>With n = n_critic, step k uses real batches k·n … k·n+n−1 (also the D step ids) and latent
 * draws k·(n+1) … k·(n+1)+n, the last one for G. So every step is a pure function of (seed, k,
 * network state). It checks that each peer's update count advances as expected, which catches a
 * peer that restarted with fresh weights mid-run.
 */
public final class AdversarialSchedule {
  private final GeneratorPeer generator;
  private final DiscriminatorPeer discriminator;
  private final Batches batches;
  private final long seed;
  private final int zDim;
  private final Latent latent;
  private final int criticSteps;
  private final boolean featureMatching;
  private final int classes;
  private long expectedGUpdates;
  private long expectedDUpdates;

  public AdversarialSchedule(GeneratorPeer generator, DiscriminatorPeer discriminator, Batches batches, long seed,
      Preset preset) {
    this.generator = generator;
    this.discriminator = discriminator;
    this.batches = batches;
    this.seed = seed;
    this.zDim = preset.model().zDim();
    this.latent = preset.model().latent();
    this.criticSteps = preset.criticSteps();
    this.featureMatching = preset.objective().featureMatching();
    this.classes = preset.model().classes();
  }

  /** Where the peers' optimizers stand (after a resume, the checkpoint's counts). */
  public void expectUpdates(long generatorUpdates, long discriminatorUpdates) {
    this.expectedGUpdates = generatorUpdates;
    this.expectedDUpdates = discriminatorUpdates;
  }

  /** The epoch of the last real batch step k uses. */
  public long expectedGeneratorUpdates() {
    return expectedGUpdates;
  }

  public long expectedDiscriminatorUpdates() {
    return expectedDUpdates;
  }

  public int epochOf(long k) {
    return batches.epochOf(k * criticSteps + criticSteps - 1);
  }

  public StepReport step(long k) {
    long t0 = System.nanoTime();
    long draw = k * (criticSteps + 1);
    double loss = 0, realScore = 0, fakeScore = 0, w = 0, gp = 0, norm = 0;
    int skipped = 0;
    INDArray real = null;
    for (int i = 0; i < criticSteps; i++) {
      long batch = k * criticSteps + i;
      real = batches.real(batch);
      int b = (int) real.size(0);
      int[] fakeLabels = labels(draw + i, b);
      INDArray fake = generator.generate(draw + i, latent(draw + i, b), fakeLabels, false);
      DiscriminatorPeer.DStep d = discriminator.trainStep(batch, real, classes > 0 ? batches.labels(batch) : null,
          fake, fakeLabels);
      expectedDUpdates = checkAdvanced(discriminator.describe(), d.updates(), expectedDUpdates);
      skipped += d.skipped() ? 1 : 0;
      loss += d.loss() / criticSteps;
      realScore += d.realScore() / criticSteps;
      fakeScore += d.fakeScore() / criticSteps;
      w += d.wassersteinEstimate() / criticSteps;
      gp += d.penalty() / criticSteps;
      norm += d.gradNorm() / criticSteps;
    }

    long t1 = System.nanoTime();
    long gDraw = draw + criticSteps;
    int[] gLabels = labels(gDraw, (int) real.size(0));
    INDArray fakeForG = generator.generate(gDraw, latent(gDraw, (int) real.size(0)), gLabels, true);
    DiscriminatorPeer.GGradient g = discriminator.generatorGradient(k, fakeForG, gLabels,
        featureMatching ? real : null);
    long gUpdates = generator.applyGradient(gDraw, g.gradImages()); // null (NaN/Inf upstream): G skips
    skipped += g.skipped() ? 1 : 0;
    expectedGUpdates = checkAdvanced(generator.describe(), gUpdates, expectedGUpdates);

    long t2 = System.nanoTime();
    return new StepReport(k + 1, epochOf(k), loss, g.loss(), realScore, fakeScore, w, gp, norm,
        (t2 - t0) / 1e9, (t1 - t0) / 1e9, (t2 - t1) / 1e9, skipped);
  }

  /** Labels the fakes of a draw are made for: uniform over the classes (conditional models only). */
  private int[] labels(long draw, int batch) {
    return classes > 0 ? Labels.draw(seed, Seeds.Stream.LABELS, draw, batch, classes) : null;
  }

  private INDArray latent(long draw, int batch) {
    return Nd4j.create(latent.draw(Seeds.rng(seed, Seeds.Stream.LATENT, draw), batch, zDim),
        new long[] {batch, zDim}, 'c');
  }

  private static long checkAdvanced(String peer, long actual, long expectedBefore) {
    if (actual != expectedBefore + 1) {
      throw new IllegalStateException(peer + " reports " + actual + " optimizer updates, expected "
          + (expectedBefore + 1) + ": it restarted or is shared with another run");
    }
    return actual;
  }
}
