package io.gancluster.core.model;

import io.gancluster.core.nn.GraphBuilder;
import io.gancluster.core.nn.GraphBuilder.Mode;
import io.gancluster.core.nn.Network;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Generator graphs. Each takes placeholder {@value #Z} [N, zDim] and gives images [N, 1, 28, 28] in
 * [-1, 1]: {@value #IMAGE} with batch statistics (training), {@value #IMAGE_INFER} with running
 * statistics (serving). {@value #LOSS} = sum(image ⊙ {@value #GRAD_IMAGE}) carries an external
 * gradient dL/dimage back to the parameters.
 */
public final class Generators {
  public static final String Z = "z";
  public static final String IMAGE = "image";
  public static final String IMAGE_INFER = "image_infer";
  public static final String GRAD_IMAGE = "grad_image";
  public static final String LOSS = "external_loss";

  /** dense → 7x7xW, BN, ReLU, upsample, conv5x5 W→W/2, BN, ReLU, upsample, conv5x5 W/2→1, tanh. */
  public static final String DCGAN_UPSAMPLE = "dcgan-upsample";

  public static final Set<String> NAMES = Set.of(DCGAN_UPSAMPLE);

  private Generators() {}

  public static Network build(ModelSpec spec, DataType dtype, long seed) {
    if (!NAMES.contains(spec.generator())) {
      throw new IllegalArgumentException("unknown generator '" + spec.generator() + "', known: " + NAMES);
    }
    SameDiff sd = SameDiff.create();
    GraphBuilder g = new GraphBuilder(sd, dtype, seed);
    SDVariable z = sd.placeHolder(Z, dtype, -1, spec.zDim());
    SDVariable train = dcganUpsample(g.mode(Mode.TRAIN), z, spec);
    sd.updateVariableNameAndReference(train, IMAGE);
    SDVariable infer = dcganUpsample(g.mode(Mode.INFER), z, spec);
    sd.updateVariableNameAndReference(infer, IMAGE_INFER);
    SDVariable eps = sd.placeHolder(GRAD_IMAGE, dtype, -1, 1, 28, 28);
    SDVariable loss = train.mul(eps).sum();
    sd.updateVariableNameAndReference(loss, LOSS);
    sd.setLossVariables(LOSS);
    g.mode(Mode.TRAIN);
    return new Network(spec.generator(), g, new long[] {spec.zDim()}, ModelSpec.IMAGE_SHAPE);
  }

  private static SDVariable dcganUpsample(GraphBuilder g, SDVariable z, ModelSpec spec) {
    SameDiff sd = g.sameDiff();
    long w = spec.generatorWidth();
    SDVariable h = g.dense("g_fc", z, spec.zDim(), w * 7 * 7, false);
    h = g.relu(g.batchNorm("g_bn0", h, w * 7 * 7, false));
    h = sd.reshape(h, -1, w, 7, 7);
    h = g.upsample(h, 2);
    h = g.conv2d("g_conv1", h, w, w / 2, 5, 1, true);
    h = g.relu(g.batchNorm("g_bn1", h, w / 2, true));
    h = g.upsample(h, 2);
    h = g.conv2d("g_conv2", h, w / 2, 1, 5, 1, true);
    return sd.math().tanh(h);
  }
}
