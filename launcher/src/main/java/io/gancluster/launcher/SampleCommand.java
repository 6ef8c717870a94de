package io.gancluster.launcher;

import io.gancluster.core.data.IdxFiles;
import io.gancluster.core.image.ImageGrid;
import io.gancluster.core.image.Pixels;
import io.gancluster.runtime.rpc.Blocking;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.client.RpcClient;
import io.gancluster.runtime.tensor.TensorCodec;
import io.gancluster.generator.GeneratorTrainer;
import io.gancluster.proto.v1.SampleRequest;
import io.gancluster.proto.v1.SampleResponse;
import io.gancluster.proto.v1.SamplingServiceGrpcClient;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Writes generated images as MNIST-format IDX files and a PNG grid, from a checkpoint or a running gateway. */
@Command(name = "sample", mixinStandardHelpOptions = true,
    description = {"Generate images into DIR: images-idx3-ubyte and labels-idx1-ubyte (MNIST's own format, so",
        "other tools read them) and grid.png. From a checkpoint file or run folder (no services needed), or",
        "from a running gateway over gRPC. The same options give the same images.", "",
        "Examples:",
        "  gan sample --checkpoint runs/cgan-concat --label 3 --count 16 --seed 42 --out out/threes",
        "  gan sample --checkpoint runs/demo --which latest --out out/latest",
        "  gan sample --gateway 127.0.0.1:9090 --label Trouser --count 64 --out out/trousers",
        "  gan sample --gateway 127.0.0.1:9090 --model-version demo/checkpoint-000001600 --out out/pinned"})
final class SampleCommand implements Callable<Integer> {
  /** The top-level command: this process's security settings. */
  @picocli.CommandLine.ParentCommand
  Gan gan;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  static final class Source {
    @Option(names = "--checkpoint", paramLabel = "PATH",
        description = "A checkpoint file, or a run folder (its best checkpoint; see --which).")
    Path checkpoint;

    @Option(names = "--gateway", paramLabel = "HOST:PORT", description = "A running gateway's gRPC address.")
    String gateway;
  }

  @Option(names = "--label", paramLabel = "L", split = ",",
      description = "Class index or name; one for all images or one per image (conditional models).")
  List<String> labels = List.of();

  @Option(names = "--count", defaultValue = "16", description = "Images. Default: ${DEFAULT-VALUE}")
  int count;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of z. Default: ${DEFAULT-VALUE}")
  long seed;

  @Option(names = "--truncation", defaultValue = "0", description = "Redraw z components outside [-T, T]; 0: off.")
  float truncation;

  @Option(names = "--model-version", paramLabel = "V",
      description = {"With --gateway: only this served model version may answer (SampleRequest.model_version, as an",
          "earlier answer or X-Model-Version named it). When no replica holds it, the gateway refuses naming the",
          "versions it serves (exit 1)."})
  String modelVersion;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (created).")
  Path out;

  @Mixin
  CheckpointModelOptions model = new CheckpointModelOptions();

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    if (count < 1 || count > 10_000) {
      throw new IllegalArgumentException("--count must be between 1 and 10000, got " + count);
    }
    if (modelVersion != null && source.checkpoint != null) {
      throw new IllegalArgumentException("--model-version pins a version a gateway serves and needs --gateway; "
          + "with --checkpoint the file is the version");
    }
    Result r = source.checkpoint != null ? fromCheckpoint() : fromGateway();
    write(r);
    spec.commandLine().getOut().printf("wrote %d images (%s) to %s: images-idx3-ubyte%s, grid.png%n", count, r.version(),
        out, r.labels() != null ? ", labels-idx1-ubyte" : "");
    return 0;
  }

  private record Result(INDArray images, int[] labels, String version) {}

  private Result fromCheckpoint() {
    CheckpointGenerator loaded = model.load(source.checkpoint);
    GeneratorTrainer g = loaded.generator();
    int[] wanted = labels.isEmpty() ? null
        : labels.stream().mapToInt(l -> labelIndex(l, loaded.labelNames(), g.classes())).toArray();
    int[] used = g.sampleLabels(count, wanted);
    return new Result(g.sample(count, seed, used, truncation), used, loaded.describe());
  }

  private static int labelIndex(String label, List<String> names, int classes) {
    if (label.matches("-?\\d{1,9}")) {
      return Integer.parseInt(label);
    }
    int i = names.indexOf(label);
    if (i < 0) {
      throw new IllegalArgumentException(classes == 0 ? "this model is unconditional and takes no labels"
          : "unknown label '" + label + "'; known: " + String.join(", ", names));
    }
    return i;
  }

  private Result fromGateway() {
    HostPort address = HostPort.parse(source.gateway);
    SampleRequest.Builder b = SampleRequest.newBuilder().setCount(count).setSeed(seed).setTruncation(truncation);
    if (modelVersion != null) {
      b.setModelVersion(modelVersion); // the gateway checks it, as for any client
    }
    if (labels.stream().allMatch(l -> l.matches("-?\\d{1,9}"))) {
      b.addAllLabels(labels.stream().map(Integer::valueOf).toList());
    } else {
      b.addAllLabelNames(labels);
    }
    Vertx vertx = Vertx.vertx();
    try {
      SampleResponse resp = Blocking.await(RpcClient.create(vertx, Gan.securityOf(gan)).unary(address.socketAddress(),
          SamplingServiceGrpcClient.Sample, b.build(), 120_000), Duration.ofMinutes(3));
      INDArray images = TensorCodec.decode(resp.getImages(), "images", new long[] {count, 1, 28, 28}, count);
      int[] used = resp.getLabelsCount() == 0 ? null : resp.getLabelsList().stream().mapToInt(Integer::intValue).toArray();
      if (modelVersion != null && !modelVersion.equals(resp.getModelVersion())) {
        throw new IllegalStateException("asked for model version '" + modelVersion + "', the gateway answered with '"
            + resp.getModelVersion() + "'");
      }
      return new Result(images, used, "model version " + resp.getModelVersion());
    } finally {
      Blocking.await(vertx.close(), Duration.ofSeconds(30));
    }
  }

  private void write(Result r) {
    try {
      Files.createDirectories(out);
      IdxFiles.writeImages(out.resolve("images-idx3-ubyte"), count, 28, 28, Pixels.bytes(r.images()));
      if (r.labels() != null) {
        byte[] l = new byte[r.labels().length];
        for (int i = 0; i < l.length; i++) {
          l[i] = (byte) r.labels()[i];
        }
        IdxFiles.writeLabels(out.resolve("labels-idx1-ubyte"), l);
      }
      Files.write(out.resolve("grid.png"), ImageGrid.png(r.images()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write samples to " + out, e);
    }
  }
}
