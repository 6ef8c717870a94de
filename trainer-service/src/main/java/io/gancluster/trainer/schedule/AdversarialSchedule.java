package io.gancluster.trainer.schedule;

import io.gancluster.core.random.Seeds;
import io.gancluster.trainer.peer.DiscriminatorPeer;
import io.gancluster.trainer.peer.GeneratorPeer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The alternating GAN schedule, one step at a time: a discriminator update on a real batch and a
 * detached fake batch, then a generator update through the discriminator's image gradient.
 *
 * <p>Step k uses latent draws 2k (D step) and 2k+1 (G step) and the k-th real batch, so every step is
 * a pure function of (seed, k, network state). It checks that each peer's update count advances by
 * exactly one, which catches a peer that restarted with fresh weights mid-run.
 */
public final class AdversarialSchedule {
  private final GeneratorPeer generator;
  private final DiscriminatorPeer discriminator;
  private final Batches batches;
  private final long seed;
  private final int zDim;
  private long expectedGUpdates;
  private long expectedDUpdates;

  public AdversarialSchedule(GeneratorPeer generator, DiscriminatorPeer discriminator, Batches batches, long seed,
      int zDim) {
    this.generator = generator;
    this.discriminator = discriminator;
    this.batches = batches;
    this.seed = seed;
    this.zDim = zDim;
  }

  /** Where the peers' optimizers stand (after a resume, the checkpoint's counts). */
  public void expectUpdates(long generatorUpdates, long discriminatorUpdates) {
    this.expectedGUpdates = generatorUpdates;
    this.expectedDUpdates = discriminatorUpdates;
  }

  public StepReport step(long k) {
    long t0 = System.nanoTime();
    INDArray real = batches.real(k);
    int b = (int) real.size(0);

    INDArray fake = generator.generate(2 * k, latent(2 * k, b), false);
    DiscriminatorPeer.DStep d = discriminator.trainStep(k, real, fake);
    expectedDUpdates = checkAdvanced(discriminator.describe(), d.updates(), expectedDUpdates);

    long t1 = System.nanoTime();
    INDArray fakeForG = generator.generate(2 * k + 1, latent(2 * k + 1, b), true);
    DiscriminatorPeer.GGradient g = discriminator.generatorGradient(k, fakeForG);
    long gUpdates = generator.applyGradient(2 * k + 1, g.gradImages());
    expectedGUpdates = checkAdvanced(generator.describe(), gUpdates, expectedGUpdates);

    long t2 = System.nanoTime();
    return new StepReport(k + 1, batches.epochOf(k), d.loss(), g.loss(), d.realScore(), d.fakeScore(),
        (t2 - t0) / 1e9, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
  }

  private INDArray latent(long draw, int batch) {
    return Nd4j.create(Seeds.gaussian(Seeds.rng(seed, Seeds.Stream.LATENT, draw), batch, zDim),
        new long[] {batch, zDim}, 'c');
  }

  private static long checkAdvanced(String peer, long actual, long expectedBefore) {
    if (actual != expectedBefore + 1) {
      throw new IllegalStateException(peer + " reports " + actual + " optimizer updates, expected "
          + (expectedBefore + 1) + ": it restarted or is shared with another run. Restart the trainer to resume "
          + "both networks from the last checkpoint.");
    }
    return actual;
  }
}
