package io.gancluster.core.model.graph;

import io.gancluster.core.model.recipe.Conditioning;
import io.gancluster.core.model.recipe.ModelSpec;
import io.gancluster.core.model.recipe.Objective;

import io.gancluster.core.model.recipe.Conditioning.DiscriminatorLabels;
import io.gancluster.core.nn.GradientPenalty;
import io.gancluster.core.nn.GraphBuilder;
import io.gancluster.core.nn.MinibatchDiscrimination;
import io.gancluster.core.nn.Network;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Discriminator (critic) graphs. Each takes {@value #IMAGE} [N, 1, 28, 28] and gives an unbounded
 * score {@value #SCORE} [N, 1] (a logit under bce) and its penultimate {@value #FEATURES} [N, F].
 * W below is {@link ModelSpec#discriminatorWidth()}. Dropout, used by seeds 001 and 003, is left out:
 * it would make D's steps depend on a random mask that is not part of the run's seeded stream.
 *
 * <p>One architecture is built into two graphs with the same parameter names, one per {@link Role},
 * because a SameDiff graph has one loss: the critic step's L_D (+ gradient penalty), and the
 * generator's L_G whose gradient with respect to the images is sent back to generator-service.
 */
public final class Discriminators {
  public static final String IMAGE = "image";
  public static final String TARGET = "target";
  public static final String WEIGHT = "weight";
  public static final String SCORE = "score";
  public static final String FEATURES = "features";
  public static final String FEATURE_TARGET = "feature_target";
  public static final String INTERPOLATES = "interpolates";
  public static final String PENALTY = "gradient_penalty";
  public static final String GRAD_NORM = "critic_grad_norm";
  /** R1 regularisation (γ/2)·mean ‖∇ₓD(x)‖² over the real rows of a critic step, and their mean ‖∇ₓD(x)‖. */
  public static final String R1_PENALTY = "r1_penalty";
  public static final String R1_GRAD_NORM = "r1_grad_norm";
  /** R1's row weights [N, 1] in a critic step: 1/n on the n real rows, 0 on the others. */
  public static final String R1_WEIGHT = "r1_weight";
  public static final String LOSS = "loss";
  /** One-hot labels [N, classes] of the images, for a D that sees labels. */
  public static final String LABEL = "label";
  /** AC-GAN's auxiliary head: class logits [N, classes], their one-hot targets and per-sample weights. */
  public static final String CLASS_LOGITS = "class_logits";
  public static final String CLASS_TARGET = "class_target";
  public static final String CLASS_WEIGHT = "class_weight";

  public static final String DCGAN_CONV = "dcgan-conv";
  public static final String MLP = "mlp";
  public static final String CONV3_BN = "conv3-bn";
  public static final String CONV5_CRITIC = "conv5-critic";
  public static final String CONV4_MINIBATCH = "conv4-minibatch";
  public static final String CONV4_FC = "conv4-fc";

  /** Which loss a graph carries. */
  public enum Role {
    /** L_D on concat(real, fake) (+ λ·penalty on interpolates, + R1 on the real rows); D's own update. */
    CRITIC_STEP,
    /** L_G on fakes only (or feature matching); its gradient with respect to the images. */
    GENERATOR_GRADIENT
  }

  /** The score and the (penultimate) features the architecture built, with the features' width. */
  public record Output(SDVariable score, SDVariable features, long featureSize) {}

  /** One discriminator architecture: a one-line summary and its graph. {@code groups}: see {@link GraphBuilder#groupedBatchNorm}. */
  public record Architecture(String summary, Builder builder) {}

  /** Builds an architecture's layers into a graph. */
  @FunctionalInterface
  public interface Builder {
    /** @param channels image channels: 1, or 2 when the label is a second channel */
    Output build(GraphBuilder g, SDVariable x, long channels, ModelSpec spec, int groups);
  }

  private static final Registry<Architecture> ARCHITECTURES = new Registry<>("discriminator");

  static {
    add(DCGAN_CONV, "conv5/2 W, LReLU 0.2, conv5/2 2W, LReLU 0.2, dense 1", (g, x, c, s, groups) -> {
      long w = s.discriminatorWidth();
      SDVariable h = g.leakyRelu(g.conv2d("d_conv1", x, c, w, 5, 2, true), 0.2);
      h = g.leakyRelu(g.conv2d("d_conv2", h, w, 2 * w, 5, 2, true), 0.2);
      SDVariable f = g.flatten(h, 2 * w, 7, 7);
      return new Output(g.dense("d_fc", f, 2 * w * 49, 1, true), f, 2 * w * 49);
    });
    add(MLP, "dense 4W, LReLU 0.2, dense 2W, LReLU 0.2, dense 1: the 2014 fully connected GAN", (g, x, c, s, groups) -> {
      long w = s.discriminatorWidth();
      SDVariable h = g.leakyRelu(g.dense("d_fc1", g.flatten(x, c, 28, 28), c * 784, 4 * w, true), 0.2);
      h = g.leakyRelu(g.dense("d_fc2", h, 4 * w, 2 * w, true), 0.2);
      return new Output(g.dense("d_out", h, 2 * w, 1, true), h, 2 * w);
    });
    add(CONV3_BN, "conv3/2 W, LReLU, conv3/2 2W, pad, BN, LReLU, conv3/2 4W, BN, LReLU, conv3 8W, BN, LReLU, dense 1",
        (g, x, c, s, groups) -> {
          long w = s.discriminatorWidth();
          SDVariable h = g.leakyRelu(g.conv2d("d_conv1", x, c, w, 3, 2, true), 0.2);
          h = g.padBottomRight(g.conv2d("d_conv2", h, w, 2 * w, 3, 2, true));
          h = g.leakyRelu(g.groupedBatchNorm("d_bn2", h, new long[] {2 * w, 8, 8}, groups), 0.2);
          h = g.conv2d("d_conv3", h, 2 * w, 4 * w, 3, 2, true);
          h = g.leakyRelu(g.groupedBatchNorm("d_bn3", h, new long[] {4 * w, 4, 4}, groups), 0.2);
          h = g.conv2d("d_conv4", h, 4 * w, 8 * w, 3, 1, true);
          h = g.leakyRelu(g.groupedBatchNorm("d_bn4", h, new long[] {8 * w, 4, 4}, groups), 0.2);
          SDVariable f = g.flatten(h, 8 * w, 4, 4);
          return new Output(g.dense("d_fc", f, 8 * w * 16, 1, true), f, 8 * w * 16);
        });
    add(CONV5_CRITIC, "conv5 W, conv5/2 2W, conv5/2 4W (LReLU 0.3), conv7 valid 1; no batch norm",
        (g, x, c, s, groups) -> {
          long w = s.discriminatorWidth();
          SDVariable h = g.leakyRelu(g.conv2d("d_conv1", x, c, w, 5, 1, true), 0.3);
          h = g.leakyRelu(g.conv2d("d_conv2", h, w, 2 * w, 5, 2, true), 0.3);
          h = g.leakyRelu(g.conv2d("d_conv3", h, 2 * w, 4 * w, 5, 2, true), 0.3);
          SDVariable f = g.flatten(h, 4 * w, 7, 7); // a side branch beside the score's path
          return new Output(g.flatten(g.conv2d("d_conv4", h, 4 * w, 1, 7, 1, false), 1, 1, 1), f, 4 * w * 49);
        });
    add(CONV4_MINIBATCH, "conv4/2 W, LReLU, conv4/2 2W, BN, LReLU, minibatch discrimination 32x32, dense 1024, BN, "
        + "LReLU, dense 1", (g, x, c, s, groups) -> {
          long w = s.discriminatorWidth();
          SDVariable h = g.leakyRelu(g.conv2d("d_conv1", x, c, w, 4, 2, true), 0.2);
          h = g.conv2d("d_conv2", h, w, 2 * w, 4, 2, true);
          h = g.leakyRelu(g.groupedBatchNorm("d_bn2", h, new long[] {2 * w, 7, 7}, groups), 0.2);
          SDVariable m = MinibatchDiscrimination.apply(g, "d_mbd", g.flatten(h, 2 * w, 7, 7), 2 * w * 49, 32, 32, groups);
          h = g.dense("d_fc3", m, 2 * w * 49 + 32, 1024, true);
          h = g.leakyRelu(g.groupedBatchNorm("d_bn3", h, new long[] {1024}, groups), 0.2);
          return new Output(g.dense("d_fc4", h, 1024, 1, true), h, 1024);
        });
    add(CONV4_FC, "conv4/2 W, LReLU, conv4/2 2W, LReLU, dense 1024, LReLU, dense 1; no batch norm",
        (g, x, c, s, groups) -> {
          long w = s.discriminatorWidth();
          SDVariable h = g.leakyRelu(g.conv2d("d_conv1", x, c, w, 4, 2, true), 0.2);
          h = g.leakyRelu(g.conv2d("d_conv2", h, w, 2 * w, 4, 2, true), 0.2);
          h = g.leakyRelu(g.dense("d_fc3", g.flatten(h, 2 * w, 7, 7), 2 * w * 49, 1024, true), 0.2);
          return new Output(g.dense("d_fc4", h, 1024, 1, true), h, 1024);
        });
  }

  private Discriminators() {}

  private static void add(String name, String summary, Builder b) {
    ARCHITECTURES.add(name, new Architecture(summary, b));
  }

  public static Map<String, Architecture> architectures() {
    return ARCHITECTURES.all();
  }

  public static Architecture architecture(String name) {
    return ARCHITECTURES.get(name);
  }


  /**
   * Whether the objective fits the architecture; throws naming the conflict. The gradient penalty and R1
   * are per sample, so their critic must treat samples independently and use layers whose input
   * gradient {@link GradientPenalty} can write.
   */
  public static void checkCompatible(ModelSpec spec, Objective objective) {
    DiscriminatorLabels labels = spec.conditioning().discriminator();
    boolean seesLabels = labels.seesLabels();
    if (objective.matchingAware() && labels.classifies()) {
      throw new IllegalArgumentException("matching-aware training (GAN-cls) does not fit an auxiliary class head ("
          + labels + "): its wrong-label real slice has no class target");
    }
    if (objective.matchingAware() && !seesLabels) {
      throw new IllegalArgumentException("matching-aware training (GAN-cls) needs a discriminator that sees the label "
          + "(input-channel or projection conditioning), not " + labels);
    }
    if (objective.featureMatching() && seesLabels) {
      throw new IllegalArgumentException("feature matching does not fit a discriminator that sees labels: its "
          + "features of the real batch would need the real labels in the generator step");
    }
    if (objective.classWeight() != Objective.DEFAULT_CLASS_WEIGHT && !labels.classifies()) {
      throw new IllegalArgumentException("a class weight applies to a discriminator with a class head (auxiliary or "
          + "projection-auxiliary labels), not " + labels.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    if (objective.r1Gamma() > 0) {
      String reason = r1Obstacle(spec);
      if (reason != null) {
        throw new IllegalArgumentException("R1 regularisation does not fit discriminator '" + spec.discriminator()
            + "': " + reason + ". Discriminators that fit: " + String.join(", ", penaltyCapable()));
      }
    }
    if (objective.loss() != Objective.Loss.WGAN_GP) {
      return;
    }
    if (seesLabels) {
      throw new IllegalArgumentException("loss wgan-gp does not fit a discriminator that sees labels ("
          + (labels.projects() ? "projection" : "label channel")
          + "): its interpolates mix real and fake images whose labels differ (R1, --r1, fits such a discriminator)");
    }
    String reason = penaltyObstacle(spec.discriminator());
    if (reason != null) {
      throw new IllegalArgumentException("loss wgan-gp does not fit discriminator '" + spec.discriminator() + "': "
          + reason + ". Critics that fit: " + String.join(", ", penaltyCapable()));
    }
  }

  /**
   * Why an architecture cannot carry the gradient penalty, or null. Its layer kinds do not depend on
   * width, so a width-2 copy is taped: cheap enough to run for every preset that is resolved.
   */
  private static String penaltyObstacle(String discriminator) {
    SameDiff sd = SameDiff.create();
    GraphBuilder g = new GraphBuilder(sd, DataType.FLOAT, 0);
    g.startTape();
    ModelSpec probe = new ModelSpec(Generators.DCGAN_UPSAMPLE, discriminator, 1, 2, 2);
    architecture(discriminator).builder().build(g, sd.placeHolder(IMAGE, DataType.FLOAT, -1, 1, 28, 28), 1, probe, 1);
    return GradientPenalty.unsupportedReason(g.endTape());
  }

  /**
   * Why R1 cannot be written for this discriminator, or null: the score path as {@link #build} makes it
   * (label channel, architecture, projection), on a width-2 copy, taped and walked.
   */
  private static String r1Obstacle(ModelSpec spec) {
    SameDiff sd = SameDiff.create();
    GraphBuilder g = new GraphBuilder(sd, DataType.FLOAT, 0);
    ScorePath path = scorePath(g, spec.withWidths(2, 2), sd.placeHolder(IMAGE, DataType.FLOAT, -1, 1, 28, 28), 1, true);
    String reason = GradientPenalty.unsupportedReason(path.tape());
    if (reason != null) {
      return reason;
    }
    try {
      GradientPenalty.inputGradient(sd, path.tape(), path.out().score(), path.input());
      return null;
    } catch (RuntimeException e) {
      return e.getMessage();
    }
  }

  /** Architectures that can carry the gradient penalty (and R1). */
  public static List<String> penaltyCapable() {
    return ARCHITECTURES.all().keySet().stream().filter(n -> penaltyObstacle(n) == null).toList();
  }

  /** D's score path as built: its input (the image, or the image and the label map), the output, the tape. */
  private record ScorePath(SDVariable input, long channels, Output out, List<GradientPenalty.Layer> tape) {}

  /**
   * The label map beside the image (label channel), the architecture and the projection term on image
   * {@code x}; recording the layers from the architecture's input to the score when {@code taped}.
   */
  private static ScorePath scorePath(GraphBuilder g, ModelSpec spec, SDVariable x, int groups, boolean taped) {
    SameDiff sd = g.sameDiff();
    DataType dtype = g.dataType();
    Conditioning c = spec.conditioning();
    SDVariable input = x;
    long channels = 1;
    if (c.discriminator() == DiscriminatorLabels.INPUT_CHANNEL) {
      // the label becomes an image-sized map beside the image (GAN-cls's reference recipe): dense 784 + LeakyReLU, reshaped
      SDVariable label = sd.placeHolder(LABEL, dtype, -1, c.classes());
      SDVariable map = sd.reshape(g.leakyRelu(g.dense("d_label", label, c.classes(), 784, true), 0.2), -1, 1, 28, 28);
      input = sd.concat(1, x, map);
      channels = 2;
    }
    g.spectralNorm(spec.spectralNorm());
    if (taped) {
      g.startTape();
    }
    Output out = architecture(spec.discriminator()).builder().build(g, input, channels, spec, groups);
    if (c.discriminator().projects()) {
      SDVariable label = sd.placeHolder(LABEL, dtype, -1, c.classes());
      out = new Output(g.projection("d_projection", out.score(), out.features(), label, c.classes(), out.featureSize()),
          out.features(), out.featureSize());
    }
    return new ScorePath(input, channels, out, taped ? g.endTape() : null);
  }

  /**
   * R1 on a taped score path: (γ/2)·Σ_i w_i ‖∇ₓD(x_i)‖², w = {@value #R1_WEIGHT}, the gradient taken
   * with respect to the image only (labels, and a label channel's map, held fixed).
   */
  private static GradientPenalty.Terms r1(GraphBuilder g, ScorePath path, double gamma) {
    SameDiff sd = g.sameDiff();
    SDVariable grad = GradientPenalty.inputGradient(sd, path.tape(), path.out().score(), path.input());
    if (path.channels() > 1) {
      double[] keep = new double[(int) path.channels()];
      keep[0] = 1;
      SDVariable mask = sd.constant(Nd4j.create(keep, new long[] {1, path.channels(), 1, 1}, 'c').castTo(g.dataType()));
      grad = grad.mul(sd.zerosLike(grad).add(mask)); // the image channel: the map beside it depends on labels only
    }
    SDVariable weights = sd.placeHolder(R1_WEIGHT, g.dataType(), -1, 1);
    return GradientPenalty.penalty(sd, grad, 4, GradientPenalty.Form.R1, gamma, weights);
  }

  /**
   * Builds D for one role. {@link Role#CRITIC_STEP}: placeholders {@value #IMAGE} = concat(real, fake)
   * (equal halves), {@value #TARGET} and {@value #WEIGHT} [2B, 1], under wgan-gp {@value #INTERPOLATES}, and
   * with R1 {@value #R1_WEIGHT} [2B, 1];
   * {@link Role#GENERATOR_GRADIENT}: {@value #IMAGE} = fakes, {@value #WEIGHT} [B, 1], or under feature
   * matching {@value #FEATURE_TARGET} [1, F].
   */
  public static Network build(ModelSpec spec, Objective objective, Role role, DataType dtype, long seed) {
    checkCompatible(spec, objective);
    Architecture arch = architecture(spec.discriminator());
    SameDiff sd = SameDiff.create();
    GraphBuilder g = new GraphBuilder(sd, dtype, seed);
    SDVariable x = sd.placeHolder(IMAGE, dtype, -1, 1, 28, 28);
    Conditioning c = spec.conditioning();
    // the critic step sees real, fake (and, matching-aware, real-with-wrong-label) slices of equal size
    int groups = role == Role.CRITIC_STEP ? (objective.matchingAware() ? 3 : 2) : 1;
    boolean r1 = role == Role.CRITIC_STEP && objective.r1Gamma() > 0;
    ScorePath path = scorePath(g, spec, x, groups, r1);
    Output out = path.out();
    GradientPenalty.Terms r1Terms = r1 ? r1(g, path, objective.r1Gamma()) : null;
    sd.updateVariableNameAndReference(out.score(), SCORE);
    sd.updateVariableNameAndReference(out.features(), FEATURES);
    SDVariable classLoss = null;
    if (c.discriminator().classifies()) {
      SDVariable logits = g.dense("d_aux", out.features(), out.featureSize(), c.classes(), true);
      sd.updateVariableNameAndReference(logits, CLASS_LOGITS);
      SDVariable target = sd.placeHolder(CLASS_TARGET, dtype, -1, c.classes());
      SDVariable weight = sd.placeHolder(CLASS_WEIGHT, dtype, -1, 1);
      classLoss = Losses.weightedCrossEntropy(sd, logits, target, weight);
    }
    SDVariable loss;
    if (role == Role.CRITIC_STEP) {
      SDVariable t = sd.placeHolder(TARGET, dtype, -1, 1);
      SDVariable w = sd.placeHolder(WEIGHT, dtype, -1, 1);
      loss = Losses.discriminator(sd, objective.loss(), out.score(), t).mul(w).sum();
      if (objective.loss() == Objective.Loss.WGAN_GP) {
        SDVariable xhat = sd.placeHolder(INTERPOLATES, dtype, -1, 1, 28, 28);
        g.startTape();
        SDVariable scoreHat = arch.builder().build(g, xhat, 1, spec, 1).score();
        SDVariable grad = GradientPenalty.inputGradient(sd, g.endTape(), scoreHat);
        GradientPenalty.Terms terms = GradientPenalty.penalty(sd, grad, 4, objective.penaltyWeight());
        sd.updateVariableNameAndReference(terms.penalty(), PENALTY);
        sd.updateVariableNameAndReference(terms.meanNorm(), GRAD_NORM);
        loss = loss.add(terms.penalty());
      }
      if (r1Terms != null) {
        sd.updateVariableNameAndReference(r1Terms.penalty(), R1_PENALTY);
        sd.updateVariableNameAndReference(r1Terms.meanNorm(), R1_GRAD_NORM);
        loss = loss.add(r1Terms.penalty());
      }
    } else if (objective.featureMatching()) {
      SDVariable target = sd.placeHolder(FEATURE_TARGET, dtype, 1, -1);
      loss = sd.math().square(out.features().mean(true, 0).sub(target)).sum();
    } else {
      SDVariable w = sd.placeHolder(WEIGHT, dtype, -1, 1);
      loss = Losses.generator(sd, objective.loss(), out.score()).mul(w).sum();
    }
    if (classLoss != null) {
      loss = loss.add(classLoss);
    }
    sd.updateVariableNameAndReference(loss, LOSS);
    sd.setLossVariables(LOSS);
    return role == Role.CRITIC_STEP
        ? new Network(spec.discriminator(), g, ModelSpec.IMAGE_SHAPE, new long[] {1})
        : new Network(spec.discriminator(), g, ModelSpec.IMAGE_SHAPE, new long[] {1}, IMAGE);
  }
}
