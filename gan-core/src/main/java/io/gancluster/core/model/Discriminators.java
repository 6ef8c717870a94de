package io.gancluster.core.model;

import io.gancluster.core.nn.GraphBuilder;
import io.gancluster.core.nn.Network;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Discriminator graphs. Each takes placeholder {@value #IMAGE} [N, 1, 28, 28] and gives {@value #LOGIT}
 * [N, 1]. {@value #LOSS} is the binary cross-entropy on logits with per-sample targets
 * ({@value #TARGET}) and weights ({@value #WEIGHT}):
 * sum_i w_i (softplus(l_i) − t_i l_i), written in the overflow-free form
 * max(l, 0) − t l + log(1 + exp(−|l|)). The D loss (reals t=1, fakes t=0, w=1/B each half) and the
 * non-saturating G loss (fakes t=1, w=1/B) are both this expression.
 */
public final class Discriminators {
  public static final String IMAGE = "image";
  public static final String TARGET = "target";
  public static final String WEIGHT = "weight";
  public static final String LOGIT = "logit";
  public static final String LOSS = "bce_loss";

  /** conv5x5/2 W, LReLU(0.2), conv5x5/2 2W, LReLU(0.2), dense 1 (no batch norm: per-sample gradients stay per-sample). */
  public static final String DCGAN_CONV = "dcgan-conv";

  public static final Set<String> NAMES = Set.of(DCGAN_CONV);

  private Discriminators() {}

  public static Network build(ModelSpec spec, DataType dtype, long seed) {
    if (!NAMES.contains(spec.discriminator())) {
      throw new IllegalArgumentException("unknown discriminator '" + spec.discriminator() + "', known: " + NAMES);
    }
    SameDiff sd = SameDiff.create();
    GraphBuilder g = new GraphBuilder(sd, dtype, seed);
    SDVariable x = sd.placeHolder(IMAGE, dtype, -1, 1, 28, 28);
    long w = spec.discriminatorWidth();
    SDVariable h = g.leakyRelu(g.conv2d("d_conv1", x, 1, w, 5, 2, true), 0.2);
    h = g.leakyRelu(g.conv2d("d_conv2", h, w, 2 * w, 5, 2, true), 0.2);
    h = sd.reshape(h, -1, 2 * w * 7 * 7);
    SDVariable logit = g.dense("d_fc", h, 2 * w * 7 * 7, 1, true);
    sd.updateVariableNameAndReference(logit, LOGIT);
    SDVariable t = sd.placeHolder(TARGET, dtype, -1, 1);
    SDVariable wt = sd.placeHolder(WEIGHT, dtype, -1, 1);
    SDVariable perSample = sd.nn().relu(logit, 0.0).sub(t.mul(logit))
        .add(sd.math().log1p(sd.math().exp(sd.math().abs(logit).neg())));
    SDVariable loss = perSample.mul(wt).sum();
    sd.updateVariableNameAndReference(loss, LOSS);
    sd.setLossVariables(LOSS);
    return new Network(spec.discriminator(), g, ModelSpec.IMAGE_SHAPE, new long[] {1}, IMAGE);
  }
}
