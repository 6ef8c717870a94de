package io.gancluster.trainer.schedule;

import io.gancluster.core.model.graph.Labels;
import io.gancluster.core.model.recipe.Latent;
import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.random.Seeds;
import io.gancluster.client.peer.DiscriminatorPeer;
import io.gancluster.client.peer.GeneratorPeer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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
 *
 * <p>G does not change during a step's critic updates, so with {@link #overlapping} on, all n + 1
 * forward passes of G that a step needs are requested up front, in the same order, on one thread of
 * their own: G computes the next fakes while D trains on the previous ones. Same calls, same order,
 * same G, so the results are bit for bit those of the sequential schedule.
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
  private boolean overlapping = true;
  private ExecutorService generatorLane;

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

  /** Whether G's forward passes of a step run beside D's updates (default) or strictly in turn. */
  public AdversarialSchedule overlapping(boolean on) {
    this.overlapping = on;
    return this;
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
    INDArray[] reals = new INDArray[criticSteps];
    List<CompletableFuture<INDArray>> forwards = new ArrayList<>();
    List<int[]> fakeLabels = new ArrayList<>();
    for (int i = 0; i < criticSteps; i++) {
      reals[i] = batches.real(k * criticSteps + i);
      int b = (int) reals[i].size(0);
      long d = draw + i;
      int[] l = labels(d, b);
      fakeLabels.add(l);
      forwards.add(forward(() -> generator.generate(d, latent(d, b), l, false)));
    }
    long gDraw = draw + criticSteps;
    INDArray real = reals[criticSteps - 1];
    int gBatch = (int) real.size(0);
    int[] gLabels = labels(gDraw, gBatch);
    forwards.add(forward(() -> generator.generate(gDraw, latent(gDraw, gBatch), gLabels, true)));
    try {
      for (int i = 0; i < criticSteps; i++) {
        long batch = k * criticSteps + i;
        DiscriminatorPeer.DStep d = discriminator.trainStep(batch, reals[i],
            classes > 0 ? batches.labels(batch) : null, await(forwards.get(i)), fakeLabels.get(i));
        expectedDUpdates = checkAdvanced(discriminator.describe(), d.updates(), expectedDUpdates);
        skipped += d.skipped() ? 1 : 0;
        loss += d.loss() / criticSteps;
        realScore += d.realScore() / criticSteps;
        fakeScore += d.fakeScore() / criticSteps;
        w += d.wassersteinEstimate() / criticSteps;
        gp += d.penalty() / criticSteps;
        norm += d.gradNorm() / criticSteps;
      }
    } finally {
      settle(forwards); // a failed D step must not leave G forwards running into the next attempt
    }

    long t1 = System.nanoTime();
    INDArray fakeForG = await(forwards.get(criticSteps));
    DiscriminatorPeer.GGradient g = discriminator.generatorGradient(k, fakeForG, gLabels,
        featureMatching ? real : null);
    long gUpdates = generator.applyGradient(gDraw, g.gradImages()); // null (NaN/Inf upstream): G skips
    skipped += g.skipped() ? 1 : 0;
    expectedGUpdates = checkAdvanced(generator.describe(), gUpdates, expectedGUpdates);

    long t2 = System.nanoTime();
    return new StepReport(k + 1, epochOf(k), loss, g.loss(), realScore, fakeScore, w, gp, norm,
        (t2 - t0) / 1e9, (t1 - t0) / 1e9, (t2 - t1) / 1e9, skipped);
  }

  /** Runs one G forward pass now (sequential) or queues it behind the step's earlier ones. */
  private CompletableFuture<INDArray> forward(Supplier<INDArray> pass) {
    if (!overlapping) {
      try {
        return CompletableFuture.completedFuture(pass.get());
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    return CompletableFuture.supplyAsync(pass, lane());
  }

  /** One thread at most, FIFO (so G sees the passes in schedule order), gone after a second idle. */
  private synchronized ExecutorService lane() {
    if (generatorLane == null) {
      generatorLane = new ThreadPoolExecutor(0, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
        Thread t = new Thread(r, "schedule-generator-forwards");
        t.setDaemon(true);
        return t;
      });
    }
    return generatorLane;
  }

  /** The pass's images, or the exception the peer threw, unwrapped (fault handling depends on its type). */
  private static INDArray await(CompletableFuture<INDArray> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  private static void settle(List<CompletableFuture<INDArray>> forwards) {
    for (CompletableFuture<INDArray> f : forwards) {
      try {
        f.join();
      } catch (RuntimeException ignored) {
        // its failure is reported by whoever awaits it, or by the failure that got here first
      }
    }
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
