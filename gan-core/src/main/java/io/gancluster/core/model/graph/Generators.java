package io.gancluster.core.model.graph;

import io.gancluster.core.model.recipe.Conditioning;
import io.gancluster.core.model.recipe.ModelSpec;

import io.gancluster.core.nn.GraphBuilder;
import io.gancluster.core.nn.GraphBuilder.Mode;
import io.gancluster.core.nn.Network;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Generator graphs. Each takes placeholder {@value #Z} [N, zDim] and gives images [N, 1, 28, 28] in
 * [-1, 1]: {@value #IMAGE} with batch statistics (training), {@value #IMAGE_INFER} with running
 * statistics (serving). {@value #LOSS} = sum(image ⊙ {@value #GRAD_IMAGE}) carries an external
 * gradient dL/dimage back to the parameters. W below is {@link ModelSpec#generatorWidth()}.
 */
public final class Generators {
  public static final String Z = "z";
  /** One-hot labels [N, classes], conditional models only. */
  public static final String LABEL = "label";
  public static final String IMAGE = "image";
  public static final String IMAGE_INFER = "image_infer";
  public static final String GRAD_IMAGE = "grad_image";
  public static final String LOSS = "external_loss";

  public static final String DCGAN_UPSAMPLE = "dcgan-upsample";
  public static final String MLP = "mlp";
  public static final String UPSAMPLE_CONV3 = "upsample-conv3";
  public static final String TRANSPOSED_CONV5 = "transposed-conv5";
  public static final String FC_TRANSPOSED_CONV4 = "fc-transposed-conv4";
  public static final String DENSE3_TRANSPOSED_CONV5 = "dense3-transposed-conv5";

  /** One generator architecture: a one-line summary and how it turns z into pre-activation images. */
  public record Architecture(String summary, Builder builder) {}

  /** Builds an architecture's layers into a graph. */
  @FunctionalInterface
  public interface Builder {
    /** @param in the network input [N, inDim]: z, or z combined with the label (see {@link Conditioning}) */
    SDVariable build(GraphBuilder g, SDVariable in, long inDim, ModelSpec spec);
  }

  private static final Registry<Architecture> ARCHITECTURES = new Registry<>("generator");

  static {
    add(DCGAN_UPSAMPLE, "dense→7x7xW, BN, ReLU, upsample, conv5 W/2, BN, ReLU, upsample, conv5 1, tanh", (g, x, inDim, s) -> {
      long w = s.generatorWidth();
      SDVariable h = g.relu(g.batchNorm("g_bn0", g.dense("g_fc", x, inDim, w * 49, false), w * 49, false));
      h = g.unflatten(h, w, 7, 7);
      h = g.relu(g.batchNorm("g_bn1", g.upsampleConv2d("g_conv1", h, w, w / 2, 5), w / 2, true));
      return g.upsampleConv2d("g_conv2", h, w / 2, 1, 5);
    });
    add(MLP, "dense W, 2W, 4W (LReLU 0.2, BN), dense 784, tanh: the 2014 fully connected GAN", (g, x, inDim, s) -> {
      long w = s.generatorWidth();
      SDVariable h = g.batchNorm("g_bn1", g.leakyRelu(g.dense("g_fc1", x, inDim, w, true), 0.2), w, false);
      h = g.batchNorm("g_bn2", g.leakyRelu(g.dense("g_fc2", h, w, 2 * w, true), 0.2), 2 * w, false);
      h = g.batchNorm("g_bn3", g.leakyRelu(g.dense("g_fc3", h, 2 * w, 4 * w, true), 0.2), 4 * w, false);
      return g.unflatten(g.dense("g_out", h, 4 * w, 784, true), 1, 28, 28);
    });
    add(UPSAMPLE_CONV3, "dense→7x7xW, ReLU, upsample, conv3 W, BN, ReLU, upsample, conv3 W/2, BN, ReLU, conv3 1, tanh",
        (g, x, inDim, s) -> {
          long w = s.generatorWidth();
          SDVariable h = g.relu(g.dense("g_fc", x, inDim, w * 49, true));
          h = g.unflatten(h, w, 7, 7);
          h = g.relu(g.batchNorm("g_bn1", g.upsampleConv2d("g_conv1", h, w, w, 3), w, true));
          h = g.relu(g.batchNorm("g_bn2", g.upsampleConv2d("g_conv2", h, w, w / 2, 3), w / 2, true));
          return g.conv2d("g_conv3", h, w / 2, 1, 3, 1, true);
        });
    add(TRANSPOSED_CONV5, "dense→7x7xW (no bias), BN, LReLU 0.3, convT5 W /1, W/2 /2, W/4 /2 (BN, LReLU), convT5 1 /1, tanh",
        (g, x, inDim, s) -> {
          long w = s.generatorWidth();
          SDVariable h = g.leakyRelu(g.batchNorm("g_bn0", g.dense("g_fc", x, inDim, w * 49, false), w * 49, false), 0.3);
          h = g.unflatten(h, w, 7, 7);
          h = g.leakyRelu(g.batchNorm("g_bn1", g.deconv2d("g_dc1", h, w, w, 5, 1, true, false), w, true), 0.3);
          h = g.leakyRelu(g.batchNorm("g_bn2", g.deconv2d("g_dc2", h, w, w / 2, 5, 2, true, false), w / 2, true), 0.3);
          h = g.leakyRelu(g.batchNorm("g_bn3", g.deconv2d("g_dc3", h, w / 2, w / 4, 5, 2, true, false), w / 4, true), 0.3);
          return g.deconv2d("g_dc4", h, w / 4, 1, 5, 1, true, false);
        });
    add(FC_TRANSPOSED_CONV4, "dense 1024, BN, ReLU, dense 7x7xW, BN, ReLU, convT4 W/2 /2, BN, ReLU, convT4 1 /2, tanh",
        (g, x, inDim, s) -> {
          long w = s.generatorWidth();
          SDVariable h = g.relu(g.batchNorm("g_bn1", g.dense("g_fc1", x, inDim, 1024, true), 1024, false));
          h = g.relu(g.batchNorm("g_bn2", g.dense("g_fc2", h, 1024, w * 49, true), w * 49, false));
          h = g.unflatten(h, w, 7, 7);
          h = g.relu(g.batchNorm("g_bn3", g.deconv2d("g_dc3", h, w, w / 2, 4, 2, true, true), w / 2, true));
          return g.deconv2d("g_dc4", h, w / 2, 1, 4, 2, true, true);
        });
  }

  static {
    add(DENSE3_TRANSPOSED_CONV5, "dense→3x3xW, ReLU, convT5 W/2 valid (7x7), convT5 W/4 /2, convT5 1 /2 (BN, ReLU), tanh",
        (g, x, inDim, s) -> {
          long w = s.generatorWidth();
          SDVariable h = g.unflatten(g.relu(g.dense("g_fc", x, inDim, w * 9, true)), w, 3, 3);
          h = g.relu(g.batchNorm("g_bn1", g.deconv2d("g_dc1", h, w, w / 2, 5, 1, false, true), w / 2, true));
          h = g.relu(g.batchNorm("g_bn2", g.deconv2d("g_dc2", h, w / 2, w / 4, 5, 2, true, true), w / 4, true));
          return g.deconv2d("g_dc3", h, w / 4, 1, 5, 2, true, true);
        });
  }

  private Generators() {}

  private static void add(String name, String summary, Builder b) {
    ARCHITECTURES.add(name, new Architecture(summary, b));
  }

  public static Map<String, Architecture> architectures() {
    return ARCHITECTURES.all();
  }

  public static Architecture architecture(String name) {
    return ARCHITECTURES.get(name);
  }


  public static Network build(ModelSpec spec, DataType dtype, long seed) {
    Architecture arch = architecture(spec.generator());
    SameDiff sd = SameDiff.create();
    GraphBuilder g = new GraphBuilder(sd, dtype, seed);
    SDVariable z = sd.placeHolder(Z, dtype, -1, spec.zDim());
    Conditioning c = spec.conditioning();
    SDVariable in = z;
    long inDim = spec.zDim();
    if (c.generator() == Conditioning.GeneratorLabels.MULTIPLY) {
      in = z.mul(g.embedding("g_label_embedding", sd.placeHolder(LABEL, dtype, -1, c.classes()), c.classes(),
          spec.zDim()));
    } else if (c.generator() == Conditioning.GeneratorLabels.CONCAT
        || c.generator() == Conditioning.GeneratorLabels.CONCAT_CONDITIONAL_BN) {
      SDVariable label = sd.placeHolder(LABEL, dtype, -1, c.classes());
      in = sd.concat(1, label, z);
      inDim += c.classes();
      if (c.generator() == Conditioning.GeneratorLabels.CONCAT_CONDITIONAL_BN) {
        g.conditionBatchNorm(label, c.classes());
      }
    }
    SDVariable train = sd.math().tanh(arch.builder().build(g.mode(Mode.TRAIN), in, inDim, spec));
    sd.updateVariableNameAndReference(train, IMAGE);
    SDVariable infer = sd.math().tanh(arch.builder().build(g.mode(Mode.INFER), in, inDim, spec));
    sd.updateVariableNameAndReference(infer, IMAGE_INFER);
    SDVariable eps = sd.placeHolder(GRAD_IMAGE, dtype, -1, 1, 28, 28);
    SDVariable loss = train.mul(eps).sum();
    sd.updateVariableNameAndReference(loss, LOSS);
    sd.setLossVariables(LOSS);
    g.mode(Mode.TRAIN);
    return new Network(spec.generator(), g, new long[] {spec.zDim()}, ModelSpec.IMAGE_SHAPE);
  }
}
