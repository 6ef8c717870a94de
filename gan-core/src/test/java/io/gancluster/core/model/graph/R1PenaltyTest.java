package io.gancluster.core.model.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gancluster.core.model.recipe.Conditioning;
import io.gancluster.core.model.recipe.Conditioning.DiscriminatorLabels;
import io.gancluster.core.model.recipe.ModelSpec;
import io.gancluster.core.model.recipe.Objective;
import io.gancluster.core.model.recipe.Objective.Loss;
import io.gancluster.core.nn.Network;
import io.gancluster.core.testing.GradientCheck;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * R1 regularisation, (γ/2)·mean ‖∇ₓD(x)‖² over the real rows of D's critic step, on tiny discriminators
 * in double precision: its parameter gradient against central finite differences, and its value
 * against ∇ₓD taken by finite differences of D's score, unconditional and conditional (label channel,
 * projection, projection with a class head and spectral norm); and its refusal for D that mix samples.
 */
class R1PenaltyTest {
  static final double GAMMA = 10;
  static final int N = 3; // real rows; as many fake rows follow them
  /**
   * Finite-difference step on a parameter: small, so that no pre-activation crosses zero (a bias moves a
   * whole channel; 1e-5 already crossed one). R1 is piecewise quadratic in any one weight (∇ₓD is a
   * product of weights and LeakyReLU slopes), where central differences have no truncation error, so
   * what is left is round-off: ~1e-16·R1/h, up to ~1e-9 for R1 ≈ 3.
   */
  static final double H = 1e-6;
  /** Entries smaller than this (of gradients up to ~4) are compared in absolute terms, |Δ| < 1e-5·FLOOR. */
  static final double FLOOR = 1e-4;

  /** A discriminator variant and the loss it is checked under. */
  record Variant(String what, ModelSpec spec, Objective objective) {}

  static ModelSpec spec(String discriminator, DiscriminatorLabels labels) {
    ModelSpec s = new ModelSpec(Generators.DCGAN_UPSAMPLE, discriminator, 4, 4, 2);
    return labels == DiscriminatorLabels.NONE ? s
        : s.withConditioning(new Conditioning(10, Conditioning.GeneratorLabels.CONCAT, labels));
  }

  static List<Variant> variants() {
    return List.of(
        new Variant("dcgan-conv, bce", spec(Discriminators.DCGAN_CONV, DiscriminatorLabels.NONE),
            Objective.of(Loss.BCE)),
        new Variant("mlp, lsgan", spec(Discriminators.MLP, DiscriminatorLabels.NONE), Objective.of(Loss.LSGAN)),
        new Variant("conv4-fc, label channel, matching-aware lsgan-sigmoid",
            spec(Discriminators.CONV4_FC, DiscriminatorLabels.INPUT_CHANNEL),
            Objective.of(Loss.LSGAN_SIGMOID).withMatchingAware(true)),
        new Variant("conv5-critic, projection (features on a side branch), hinge",
            spec(Discriminators.CONV5_CRITIC, DiscriminatorLabels.PROJECTION), Objective.of(Loss.HINGE)),
        new Variant("dcgan-conv, projection + class head + spectral norm (the demo's D), hinge",
            spec(Discriminators.DCGAN_CONV, DiscriminatorLabels.PROJECTION_AUXILIARY).withSpectralNorm(true),
            Objective.of(Loss.HINGE)));
  }

  /** D's critic-step graph with R1, its weights scaled so that ‖∇ₓD‖ is of order 1 (spectral norm undoes it). */
  static Network critic(Variant v) {
    Network d = Discriminators.build(v.spec(), v.objective().withR1(GAMMA), Discriminators.Role.CRITIC_STEP,
        DataType.DOUBLE, 11);
    for (String p : d.trainableParameters()) {
      d.array(p).muli(6);
    }
    return d;
  }

  /**
   * A critic step's inputs with every loss weight but R1's at zero, so that the graph's loss is R1
   * alone: n reals, then fakes (and, matching-aware, the reals again with other labels).
   */
  static Map<String, INDArray> feed(Variant v, long seed) {
    int slices = v.objective().matchingAware() ? 3 : 2;
    int rows = slices * N;
    Nd4j.getRandom().setSeed(seed);
    Map<String, INDArray> feed = new HashMap<>();
    feed.put(Discriminators.IMAGE, Nd4j.rand(DataType.DOUBLE, rows, 1, 28, 28).muli(2).subi(1));
    feed.put(Discriminators.TARGET, Nd4j.zeros(DataType.DOUBLE, rows, 1));
    feed.put(Discriminators.WEIGHT, Nd4j.zeros(DataType.DOUBLE, rows, 1));
    INDArray r1 = Nd4j.zeros(DataType.DOUBLE, rows, 1);
    for (int i = 0; i < N; i++) {
      r1.putScalar(i, 0, 1.0 / N);
    }
    feed.put(Discriminators.R1_WEIGHT, r1);
    Conditioning c = v.spec().conditioning();
    if (c.conditional()) {
      int[] labels = new int[rows];
      for (int i = 0; i < rows; i++) {
        labels[i] = (3 * i + 1) % c.classes();
      }
      feed.put(Discriminators.LABEL, Labels.oneHot(labels, c.classes(), DataType.DOUBLE));
      if (c.discriminator().classifies()) {
        feed.put(Discriminators.CLASS_TARGET, Labels.oneHot(labels, c.classes(), DataType.DOUBLE));
        feed.put(Discriminators.CLASS_WEIGHT, Nd4j.zeros(DataType.DOUBLE, rows, 1));
      }
    }
    return feed;
  }

  static double output(Network d, Map<String, INDArray> feed, String name) {
    return d.output(feed, name).get(name).getDouble(0);
  }

  @Test
  void r1ParameterGradientMatchesCentralDifferencesInDouble() {
    double worstOverall = 0;
    // the plain conv D's layers are all in the demo's D: skipped here for time
    for (Variant v : variants().subList(1, variants().size())) {
      long t0 = System.nanoTime();
      Network d = critic(v);
      Map<String, INDArray> feed = feed(v, 3);
      List<String> params = d.trainableParameters();
      var out = d.forwardBackward(feed, List.of(Discriminators.LOSS, Discriminators.R1_PENALTY), params);
      double r1 = out.getOutputs().get(Discriminators.R1_PENALTY).getDouble(0);
      // every other term is weighted 0, so the loss is R1 and its gradient is R1's
      assertThat(out.getOutputs().get(Discriminators.LOSS).getDouble(0)).as(v.what()).isEqualTo(r1);
      assertThat(r1).as(v.what()).isGreaterThan(1e-3);
      SplittableRandom rng = new SplittableRandom(17);
      double worst = 0;
      double largest = 0;
      int checked = 0;
      for (String p : params) {
        INDArray param = d.array(p);
        INDArray grad = out.getGradients().get(p).reshape(param.shape());
        // the largest entries and a few random ones
        List<Long> entries = new ArrayList<>();
        entries.add(grad.dup().reshape(-1).argMax(0).getLong(0));
        entries.add(grad.neg().reshape(-1).argMax(0).getLong(0));
        for (int k = 0; k < 2; k++) {
          entries.add(rng.nextLong(param.length()));
        }
        for (long idx : entries) {
          double numeric = GradientCheck.centralDifference(param, idx, H,
              () -> output(d, feed, Discriminators.R1_PENALTY));
          double analytic = grad.getDouble(Shape.ind2subC(param, idx));
          double e = GradientCheck.relativeError(analytic, numeric, FLOOR);
          if (e > 1e-6) {
            System.out.printf("  %s[%d]: analytic %.12e numeric %.12e error %.2e%n", p, idx, analytic, numeric, e);
          }
          worst = Math.max(worst, e);
          largest = Math.max(largest, Math.abs(analytic));
          checked++;
        }
      }
      System.out.printf("R1 dR1/dθ vs central differences (%s): R1 %.4f, largest |dR1/dθ| checked %.3g, worst relative "
          + "error %.2e over %d entries (%.1f s)%n", v.what(), r1, largest, worst, checked, (System.nanoTime() - t0) / 1e9);
      assertThat(largest).as(v.what()).isGreaterThan(1e-2);
      assertThat(worst).as(v.what()).isLessThan(1e-5);
      worstOverall = Math.max(worstOverall, worst);
    }
    System.out.printf("R1 parameter gradient: worst relative error over all variants %.2e%n", worstOverall);
  }

  @Test
  void r1IsHalfGammaTimesTheMeanSquaredInputGradientOfTheRealRowsTakenByFiniteDifferences() {
    for (Variant v : variants()) {
      Network d = critic(v);
      Map<String, INDArray> feed = feed(v, 5);
      INDArray images = feed.get(Discriminators.IMAGE);
      // ∂D(x_i)/∂x_ip by central differences of D's score, only the image moved (labels stay): samples do
      // not interact, so one batch holds x_i ± h·e_p for every real row i and pixel p
      double h = 1e-6;
      int pixels = 784;
      INDArray batch = Nd4j.create(DataType.DOUBLE, 2L * N * pixels, 784);
      INDArray labels = feed.containsKey(Discriminators.LABEL)
          ? Nd4j.create(DataType.DOUBLE, 2L * N * pixels, feed.get(Discriminators.LABEL).size(1)) : null;
      for (int i = 0; i < N; i++) {
        INDArray x = images.get(NDArrayIndex.point(i)).reshape(1, 784);
        for (int p = 0; p < pixels; p++) {
          for (int sign = 0; sign < 2; sign++) {
            long row = (2L * i * pixels) + 2L * p + sign;
            batch.putRow(row, x);
            batch.putScalar(row, p, x.getDouble(0, p) + (sign == 0 ? h : -h));
            if (labels != null) {
              labels.putRow(row, feed.get(Discriminators.LABEL).getRow(i));
            }
          }
        }
      }
      Map<String, INDArray> perturbed = new HashMap<>(Map.of(Discriminators.IMAGE, batch.reshape(-1, 1, 28, 28)));
      if (labels != null) {
        perturbed.put(Discriminators.LABEL, labels);
      }
      INDArray score = d.output(perturbed, Discriminators.SCORE).get(Discriminators.SCORE);
      double meanSquared = 0;
      double meanNorm = 0;
      for (int i = 0; i < N; i++) {
        double sq = 0;
        for (int p = 0; p < pixels; p++) {
          long row = (2L * i * pixels) + 2L * p;
          double g = (score.getDouble(row, 0) - score.getDouble(row + 1, 0)) / (2 * h);
          sq += g * g;
        }
        meanSquared += sq / N;
        meanNorm += Math.sqrt(sq) / N;
      }
      double expected = GAMMA / 2 * meanSquared;
      double r1 = output(d, feed, Discriminators.R1_PENALTY);
      double norm = output(d, feed, Discriminators.R1_GRAD_NORM);
      double err = GradientCheck.relativeError(r1, expected, 1e-12);
      System.out.printf("R1 (%s): graph %.8f, (γ/2)·mean ‖∇x D‖² by finite differences %.8f, relative error %.2e%n",
          v.what(), r1, expected, err);
      assertThat(err).as(v.what()).isLessThan(1e-6);
      assertThat(GradientCheck.relativeError(norm, meanNorm, 1e-12)).as(v.what()).isLessThan(1e-6);
      // the fake rows do not count: other fakes, the same R1
      INDArray fakes = images.get(NDArrayIndex.interval(N, images.size(0)));
      fakes.assign(Nd4j.rand(DataType.DOUBLE, fakes.shape()));
      assertThat(output(d, feed, Discriminators.R1_PENALTY)).as(v.what()).isEqualTo(r1);
    }
  }

  @Test
  void r1IsRefusedForDiscriminatorsThatMixSamplesNamingTheLayer() {
    assertThatThrownBy(() -> Discriminators.checkCompatible(spec(Discriminators.CONV3_BN, DiscriminatorLabels.NONE),
        Objective.of(Loss.BCE).withR1(GAMMA)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("R1 regularisation does not fit discriminator 'conv3-bn'")
        .hasMessageContaining("batch normalisation d_bn2")
        .hasMessageContaining(Discriminators.DCGAN_CONV);
    assertThatThrownBy(() -> Discriminators.checkCompatible(
        spec(Discriminators.CONV4_MINIBATCH, DiscriminatorLabels.PROJECTION), Objective.of(Loss.HINGE).withR1(1)))
        .hasMessageContaining("minibatch discrimination d_mbd");
    // off, the same discriminators are fine
    Discriminators.checkCompatible(spec(Discriminators.CONV3_BN, DiscriminatorLabels.NONE), Objective.of(Loss.BCE));
  }

  @Test
  void withWganGpR1IsAddedBesideThePenalty() {
    ModelSpec spec = spec(Discriminators.DCGAN_CONV, DiscriminatorLabels.NONE);
    Network plain = Discriminators.build(spec, Objective.of(Loss.WGAN_GP), Discriminators.Role.CRITIC_STEP,
        DataType.DOUBLE, 11);
    Network r1 = Discriminators.build(spec, Objective.of(Loss.WGAN_GP).withR1(GAMMA), Discriminators.Role.CRITIC_STEP,
        DataType.DOUBLE, 11);
    Variant v = new Variant("wgan-gp", spec, Objective.of(Loss.WGAN_GP));
    Map<String, INDArray> feed = feed(v, 7);
    feed.put(Discriminators.WEIGHT, Nd4j.valueArrayOf(new long[] {2 * N, 1}, 1.0 / N, DataType.DOUBLE));
    feed.put(Discriminators.INTERPOLATES, Nd4j.rand(DataType.DOUBLE, N, 1, 28, 28));
    Map<String, INDArray> a = r1.output(feed, Discriminators.LOSS, Discriminators.PENALTY, Discriminators.R1_PENALTY);
    Map<String, INDArray> withoutR1 = new HashMap<>(feed);
    withoutR1.remove(Discriminators.R1_WEIGHT);
    Map<String, INDArray> b = plain.output(withoutR1, Discriminators.LOSS, Discriminators.PENALTY);
    assertThat(a.get(Discriminators.PENALTY).getDouble(0)).isEqualTo(b.get(Discriminators.PENALTY).getDouble(0));
    assertThat(a.get(Discriminators.LOSS).getDouble(0) - b.get(Discriminators.LOSS).getDouble(0))
        .isCloseTo(a.get(Discriminators.R1_PENALTY).getDouble(0), org.assertj.core.data.Offset.offset(1e-15));
  }
}
