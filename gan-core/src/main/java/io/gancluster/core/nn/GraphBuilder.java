package io.gancluster.core.nn;

import io.gancluster.core.random.Seeds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds layers into a SameDiff graph, NCHW, with named parameters.
 *
 * <p>Parameters are created once by name and reused when the same layer is built again, so one
 * graph can hold a training path (batch statistics) and an inference path (running statistics) that
 * share weights. Weights start from N(0, 0.02), the DCGAN initialisation, drawn from the run seed.
 */
public final class GraphBuilder {
  /** Whether batch normalisation uses the batch's statistics or the running ones. */
  public enum Mode { TRAIN, INFER }

  public static final double INIT_STD = 0.02;
  public static final double BN_EPSILON = 1e-5;

  private final SameDiff sd;
  private final DataType dtype;
  private final long seed;
  private final Map<String, SDVariable> params = new LinkedHashMap<>();
  private final List<String> trainable = new ArrayList<>();
  private final List<BatchNormState> batchNorms = new ArrayList<>();
  private final List<SpectralNorm.Layer> spectralNorms = new ArrayList<>();
  private boolean spectralNorm;
  private Mode mode = Mode.TRAIN;
  private SDVariable batchNormClass;
  private long batchNormClasses;
  private List<GradientPenalty.Layer> tape;

  public GraphBuilder(SameDiff sd, DataType dtype, long seed) {
    this.sd = sd;
    this.dtype = dtype;
    this.seed = seed;
  }

  public SameDiff sameDiff() {
    return sd;
  }

  public DataType dataType() {
    return dtype;
  }

  public GraphBuilder mode(Mode mode) {
    this.mode = mode;
    return this;
  }

  public Mode mode() {
    return mode;
  }

  /**
   * Makes every (ungrouped) batch-norm layer built from now on class-conditional: after normalising it
   * multiplies by 1 + γ[label] and adds β[label], per channel, with γ and β learned tables
   * [classes, channels] that start at zero (so it starts as plain batch norm).
   *
   * @param oneHot the labels [N, classes]
   */
  public GraphBuilder conditionBatchNorm(SDVariable oneHot, long classes) {
    this.batchNormClass = oneHot;
    this.batchNormClasses = classes;
    return this;
  }

  /**
   * Spectral normalisation ({@link SpectralNorm}) of the dense and convolution weights of layers built
   * from now on, while {@code on}.
   */
  public GraphBuilder spectralNorm(boolean on) {
    this.spectralNorm = on;
    return this;
  }

  public List<SpectralNorm.Layer> spectralNorms() {
    return List.copyOf(spectralNorms);
  }

  public List<String> trainableParameters() {
    return List.copyOf(trainable);
  }

  public List<BatchNormState> batchNorms() {
    return List.copyOf(batchNorms);
  }

  /**
   * Starts recording the layers built from now on, for {@link GradientPenalty}'s explicit input
   * gradient: build the critic (on the interpolates, or on the batch whose input gradient is wanted)
   * between {@code startTape} and {@link #endTape}.
   */
  public GraphBuilder startTape() {
    tape = new ArrayList<>();
    return this;
  }

  public List<GradientPenalty.Layer> endTape() {
    List<GradientPenalty.Layer> recorded = List.copyOf(tape);
    tape = null;
    return recorded;
  }

  private void record(GradientPenalty.Layer layer) {
    if (tape != null) {
      tape.add(layer);
    }
  }

  /** x[N, in] · W[in, out] (+ b). */
  public SDVariable dense(String name, SDVariable x, long in, long out, boolean bias) {
    SDVariable w = normalised(name + "_W", weight(name + "_W", in, out), in, out);
    SDVariable y = x.mmul(w);
    SDVariable result = bias ? y.add(constantParam(name + "_b", 0.0, out)) : y;
    record(new GradientPenalty.Dense(x, result, w));
    return result;
  }

  /**
   * A learned table [classes, dim] looked up by one-hot rows [N, classes] (a matmul picks the row).
   * Initialised N(0, 1), like common embedding layers, so that z ⊙ embedding keeps z's scale.
   */
  public SDVariable embedding(String name, SDVariable oneHot, long classes, long dim) {
    SDVariable table = weight(name, 1.0, classes, dim);
    record(new GradientPenalty.Unsupported("label embedding " + name));
    return oneHot.mmul(table);
  }

  /**
   * A projection discriminator's score: {@code score} [N, 1] plus the projection term Σ_j features_j ·
   * E[label]_j, with a learned table E [classes, dim] looked up by one-hot rows [N, classes]. E starts
   * from N(0, 0.02), like D's output layer, so the class term starts at the scale of the unconditional score.
   */
  public SDVariable projection(String name, SDVariable score, SDVariable features, SDVariable oneHot, long classes,
      long dim) {
    SDVariable table = weight(name, classes, dim);
    SDVariable embedded = oneHot.mmul(table);
    SDVariable result = score.add(features.mul(embedded).sum(true, 1));
    record(new GradientPenalty.Projection(score, features, embedded, result));
    return result;
  }

  /** 2-D convolution with bias, square kernel, "same" or "valid" padding. Weights are [k, k, in, out]. */
  public SDVariable conv2d(String name, SDVariable x, long in, long out, int kernel, int stride, boolean same) {
    return conv2d(name, x, in, out, kernel, stride, same, true);
  }

  public SDVariable conv2d(String name, SDVariable x, long in, long out, int kernel, int stride, boolean same,
      boolean bias) {
    SDVariable w = normalised(name + "_W", weight(name + "_W", kernel, kernel, in, out), (long) kernel * kernel * in, out);
    Conv2DConfig cfg = Conv2DConfig.builder()
        .kH(kernel).kW(kernel).sH(stride).sW(stride)
        .paddingMode(same ? PaddingMode.SAME : PaddingMode.VALID).dataFormat("NCHW").build();
    SDVariable result = bias ? sd.cnn().conv2d(x, w, constantParam(name + "_b", 0.0, out), cfg) : sd.cnn().conv2d(x, w, cfg);
    record(new GradientPenalty.Conv(x, result, w, in, out, kernel, stride, same));
    return result;
  }

  /**
   * Nearest-neighbour upsampling by 2 followed by a "same" convolution with an odd square kernel, with
   * the parameters of that convolution ({@code name_W} [k, k, in, out], {@code name_b} [out]), computed
   * in sub-pixel form: each of the four output phases (row and column parity) is a small convolution of
   * the low-resolution input whose taps are sums of W's taps, so one convolution with 4·out channels
   * at the input's resolution and a depth-to-space give exactly conv(upsample(x)). For k = 5 that is
   * 36 multiply-adds per input pixel instead of 100, and no upsampled copy of the activation; the
   * phase kernels are a fixed linear map of W, so W's gradient is the same function as before.
   * {@code SubPixelConvolutionTest} checks values and gradients against the plain form.
   */
  public SDVariable upsampleConv2d(String name, SDVariable x, long in, long out, int kernel) {
    if (kernel % 2 == 0) {
      throw new IllegalArgumentException("sub-pixel upsampling convolution needs an odd kernel, got " + kernel);
    }
    SDVariable w = weight(name + "_W", kernel, kernel, in, out);
    SDVariable b = constantParam(name + "_b", 0.0, out);
    record(new GradientPenalty.Unsupported("upsampling convolution " + name));
    int pad = (kernel - 1) / 2;
    int reach = (pad + 1) / 2; // low-resolution taps reach -reach..reach
    int small = 2 * reach + 1;
    SDVariable taps = sd.constant(Nd4j.create(SubPixel.phaseTaps(kernel), new long[] {4L * small * small, (long) kernel * kernel}, 'c')
        .castTo(dtype));
    SDVariable phases = taps.mmul(sd.reshape(w, (long) kernel * kernel, in * out)); // [(a, b, dy, dx), (in, out)]
    SDVariable k = sd.reshape(sd.permute(sd.reshape(phases, 2, 2, small, small, in, out), 2, 3, 4, 0, 1, 5),
        small, small, in, 4 * out);
    Conv2DConfig cfg = Conv2DConfig.builder().kH(small).kW(small).sH(1).sW(1)
        .paddingMode(PaddingMode.SAME).dataFormat("NCHW").build();
    SDVariable y = sd.cnn().depthToSpace(sd.cnn().conv2d(x, k, cfg), 2, org.nd4j.enums.DataFormat.NCHW);
    return sd.nn().biasAdd(y, b, true);
  }

  /**
   * Transposed convolution (the gradient of a convolution with respect to its input), square kernel.
   * Weights are [k, k, out, in], the layout of the convolution it transposes.
   */
  public SDVariable deconv2d(String name, SDVariable x, long in, long out, int kernel, int stride, boolean same,
      boolean bias) {
    SDVariable w = weight(name + "_W", kernel, kernel, out, in);
    record(new GradientPenalty.Unsupported("transposed convolution " + name));
    SDVariable y = transposedConv2d(sd, x, w, out, in, kernel, stride, same);
    return bias ? sd.nn().biasAdd(y, constantParam(name + "_b", 0.0, out), true) : y;
  }

  /**
   * The transposed convolution of x [N, C, H, W] with weights w [k, k, out, C] (ND4J's deconv2d), in
   * sub-pixel form where one exists ("same" padding, odd kernels at any stride, even kernels at
   * stride 2): one "same" convolution at x's resolution with stride²·out channels, whose J×J taps are
   * a fixed linear map of w ({@link SubPixel#transposedTaps}), then depth-to-space. In ND4J M2.1 deconv2d
   * with "same" padding misses oneDNN and runs 5–10× slower than a convolution of the same size; this
   * form runs on oneDNN's convolution forward and backward. Like deconv2d, it expects H·stride to be
   * the size the transposed convolution maps back to. Values and gradients equal deconv2d's to
   * rounding ({@code TransposedConvolutionTest}); other configurations use deconv2d itself.
   */
  static SDVariable transposedConv2d(SameDiff sd, SDVariable x, SDVariable w, long out, long in, int kernel,
      int stride, boolean same) {
    int reach = same ? SubPixel.transposedReach(kernel, stride) : 0;
    if (reach == 0) {
      return sd.cnn().deconv2d(x, w, deconvConfig(kernel, stride, same));
    }
    long phases = (long) stride * stride;
    SDVariable taps = sd.constant(Nd4j.create(SubPixel.transposedTaps(kernel, stride),
        new long[] {phases * reach * reach, (long) kernel * kernel}, 'c').castTo(w.dataType()));
    SDVariable perPhase = taps.mmul(sd.reshape(w, (long) kernel * kernel, out * in)); // [(a, b, jy, jx), (out, in)]
    SDVariable k = sd.reshape(sd.permute(sd.reshape(perPhase, stride, stride, reach, reach, out, in), 2, 3, 5, 0, 1, 4),
        reach, reach, in, phases * out); // [jy, jx, in, (a, b, out)]
    Conv2DConfig cfg = Conv2DConfig.builder().kH(reach).kW(reach).sH(1).sW(1)
        .paddingMode(PaddingMode.SAME).dataFormat("NCHW").build();
    SDVariable y = sd.cnn().conv2d(x, k, cfg);
    return stride == 1 ? y : sd.cnn().depthToSpace(y, stride, org.nd4j.enums.DataFormat.NCHW);
  }

  static DeConv2DConfig deconvConfig(int kernel, int stride, boolean same) {
    return DeConv2DConfig.builder().kH(kernel).kW(kernel).sH(stride).sW(stride).dH(1).dW(1)
        .isSameMode(same).dataFormat("NCHW").build();
  }

  /** [N, c, h, w] to [N, c*h*w]. */
  public SDVariable flatten(SDVariable x, long c, long h, long w) {
    SDVariable result = sd.reshape(x, -1, c * h * w);
    record(new GradientPenalty.Reshape(x, result, new long[] {c, h, w}));
    return result;
  }

  /** [N, c*h*w] to [N, c, h, w]. */
  public SDVariable unflatten(SDVariable x, long c, long h, long w) {
    SDVariable result = sd.reshape(x, -1, c, h, w);
    record(new GradientPenalty.Reshape(x, result, new long[] {c * h * w}));
    return result;
  }

  /** Nearest-neighbour upsampling by an integer factor. */
  public SDVariable upsample(SDVariable x, int factor) {
    record(new GradientPenalty.Unsupported("upsampling"));
    return sd.cnn().upsampling2d(x, factor, factor, true);
  }

  /** Zero padding of the bottom and right edges by one pixel (Keras ZeroPadding2D(((0, 1), (0, 1))). */
  public SDVariable padBottomRight(SDVariable x) {
    record(new GradientPenalty.Unsupported("zero padding"));
    INDArray pads = Nd4j.createFromArray(new int[][] {{0, 0}, {0, 0}, {0, 1}, {0, 1}});
    return sd.nn().pad(x, sd.constant(pads), 0.0);
  }

  public SDVariable leakyRelu(SDVariable x, double alpha) {
    SDVariable result = sd.nn().leakyRelu(x, alpha);
    record(new GradientPenalty.LeakyRelu(x, result, alpha));
    return result;
  }

  public SDVariable relu(SDVariable x) {
    SDVariable result = sd.nn().relu(x, 0.0);
    record(new GradientPenalty.LeakyRelu(x, result, 0.0));
    return result;
  }

  public SDVariable tanh(SDVariable x) {
    record(new GradientPenalty.Unsupported("tanh"));
    return sd.math().tanh(x);
  }

  /** Marks an op built outside this class as one the explicit input gradient cannot follow. */
  public void unsupported(String what) {
    record(new GradientPenalty.Unsupported(what));
  }

  /**
   * Batch normalisation over every axis but the channel axis (1), written with primitive ops so that
   * SameDiff differentiates through the batch statistics exactly. In {@link Mode#TRAIN} it normalises
   * with the batch's mean and (biased) variance and records them so the owner can update the running
   * statistics; in {@link Mode#INFER} it uses the running statistics, so a sample depends on its own z only.
   */
  public SDVariable batchNorm(String name, SDVariable x, long channels, boolean spatial) {
    return batchNorm(name, x, channels, spatial ? new long[] {channels, 0, 0} : new long[] {channels}, 1);
  }

  /**
   * Batch normalisation with batch statistics taken separately over {@code groups} equal slices of the
   * batch. A discriminator sees concat(real, fake) in one pass; with groups = 2 each half is normalised
   * by its own statistics, exactly as two separate passes would be. No running statistics are kept
   * (a discriminator is never used in inference mode).
   *
   * @param featureShape the shape without the batch axis: [c] or [c, h, w]
   */
  public SDVariable groupedBatchNorm(String name, SDVariable x, long[] featureShape, int groups) {
    return batchNorm(name, x, featureShape[0], featureShape, groups);
  }

  private SDVariable batchNorm(String name, SDVariable x, long channels, long[] featureShape, int groups) {
    record(new GradientPenalty.Unsupported("batch normalisation " + name + " (it mixes the samples of a batch)"));
    boolean spatial = featureShape.length == 3;
    long[] statShape = spatial ? new long[] {1, channels, 1, 1} : new long[] {1, channels};
    SDVariable gamma = constantParam(name + "_gamma", 1.0, statShape);
    SDVariable beta = constantParam(name + "_beta", 0.0, statShape);
    if (groups > 1) {
      SDVariable grouped = spatial ? sd.reshape(x, groups, -1, channels, featureShape[1], featureShape[2])
          : sd.reshape(x, groups, -1, channels);
      int[] axes = spatial ? new int[] {1, 3, 4} : new int[] {1};
      SDVariable mean = grouped.mean(true, axes);
      SDVariable centred = grouped.sub(mean);
      SDVariable var = centred.mul(centred).mean(true, axes);
      SDVariable normalised = broadcastMul(centred, sd.math().rsqrt(var.add(BN_EPSILON)));
      SDVariable back = spatial ? sd.reshape(normalised, -1, channels, featureShape[1], featureShape[2])
          : sd.reshape(normalised, -1, channels);
      return broadcastMul(back, gamma).add(beta);
    }
    int[] axes = spatial ? new int[] {0, 2, 3} : new int[] {0};
    String runMean = name + "_running_mean";
    String runVar = name + "_running_var";
    SDVariable runningMean = buffer(runMean, 0.0, statShape);
    SDVariable runningVar = buffer(runVar, 1.0, statShape);
    SDVariable centred;
    SDVariable var;
    if (mode == Mode.TRAIN) {
      SDVariable mean = x.mean(true, axes);
      centred = x.sub(mean);
      var = centred.mul(centred).mean(true, axes);
      batchNorms.add(new BatchNormState(name, mean.name(), var.name(), runMean, runVar));
    } else {
      centred = x.sub(runningMean);
      var = runningVar;
    }
    // gamma / sqrt(var + eps) is one value per channel: scale once, then a single full-size multiply
    SDVariable normalised = broadcastMul(centred, sd.math().rsqrt(var.add(BN_EPSILON)).mul(gamma)).add(beta);
    return batchNormClass == null ? normalised : classConditional(name, normalised, channels, spatial);
  }

  /** x ⊙ (1 + γ[label]) + β[label], γ and β [classes, channels] per channel (per sample). */
  private SDVariable classConditional(String name, SDVariable x, long channels, boolean spatial) {
    SDVariable gain = batchNormClass.mmul(constantParam(name + "_class_gamma", 0.0, batchNormClasses, channels)).add(1.0);
    SDVariable bias = batchNormClass.mmul(constantParam(name + "_class_beta", 0.0, batchNormClasses, channels));
    if (spatial) {
      gain = sd.reshape(gain, -1, channels, 1, 1);
      bias = sd.reshape(bias, -1, channels, 1, 1);
      return broadcastMul(x, gain).add(sd.zerosLike(x).add(bias));
    }
    return x.mul(gain).add(bias);
  }

  /**
   * x ⊙ s for s broadcast along some axes of x (e.g. a per-channel scale [1, C, 1, 1]). In M2.1 the
   * gradient of a broadcasting multiply tiles s to x's shape with generic index arithmetic, which
   * took 25–30 ms per 400k-element activation here, most of a batch-norm layer's cost. Broadcasting
   * s by an add (whose gradient is a plain reduction) and multiplying equal shapes gives the same
   * values and the same gradient at a fraction of the cost (docs/benchmarks.md).
   */
  public SDVariable broadcastMul(SDVariable x, SDVariable s) {
    return x.mul(sd.zerosLike(x).add(s));
  }

  /**
   * W / σ(W) under spectral normalisation, else W. u starts as a random unit vector from the run seed,
   * and one power iteration at build time sets v, so the first step already divides by a fair σ.
   */
  private SDVariable normalised(String name, SDVariable w, long rows, long cols) {
    if (!spectralNorm) {
      return w;
    }
    String uName = name + "_sn_u";
    String vuName = name + "_sn_vu";
    SDVariable vu = params.get(vuName);
    if (vu == null) {
      SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, uName));
      double[] init = new double[Math.toIntExact(cols)];
      for (int i = 0; i < init.length; i++) {
        init[i] = rng.nextGaussian();
      }
      INDArray ua = Nd4j.create(init, new long[] {cols, 1}, 'c').castTo(dtype);
      SDVariable u = register(uName, ua.divi(ua.norm2Number()), false);
      vu = register(vuName, Nd4j.zeros(dtype, rows, cols), false);
      SpectralNorm.iterate(w.getArr(), u.getArr(), vu.getArr(), rows, cols);
      spectralNorms.add(new SpectralNorm.Layer(name, uName, vuName, rows, cols));
    }
    SDVariable sigma = sd.reshape(w, rows, cols).mul(vu).sum(); // vᵀ W u, a scalar
    // the reciprocal broadcast by an add: M2.1's broadcasting divide/multiply backward mishandles a scalar
    return broadcastMul(w, sigma.rdiv(1.0));
  }

  private SDVariable weight(String name, long... shape) {
    return weight(name, INIT_STD, shape);
  }

  private SDVariable weight(String name, double std, long... shape) {
    SDVariable existing = params.get(name);
    if (existing != null) {
      return existing;
    }
    SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, name));
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    double[] values = new double[Math.toIntExact(n)];
    for (int i = 0; i < values.length; i++) {
      values[i] = std * rng.nextGaussian();
    }
    return register(name, Nd4j.create(values, shape, 'c').castTo(dtype), true);
  }

  private SDVariable constantParam(String name, double value, long... shape) {
    SDVariable existing = params.get(name);
    return existing != null ? existing : register(name, Nd4j.valueArrayOf(shape, value, dtype), true);
  }

  /** A non-trainable state array (e.g. running statistics), saved with the parameters. */
  private SDVariable buffer(String name, double value, long... shape) {
    SDVariable existing = params.get(name);
    return existing != null ? existing : register(name, Nd4j.valueArrayOf(shape, value, dtype), false);
  }

  private SDVariable register(String name, INDArray init, boolean isTrainable) {
    SDVariable v = sd.var(name, init);
    params.put(name, v);
    if (isTrainable) {
      trainable.add(name);
    }
    return v;
  }

  /** Names of one batch-norm layer's batch statistics (graph outputs) and running statistics (buffers). */
  public record BatchNormState(String layer, String batchMean, String batchVar, String runningMean, String runningVar) {}
}
