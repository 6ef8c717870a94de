package io.gancluster.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.gancluster.core.compute.ComputeCapability;
import io.gancluster.core.compute.ComputeDevice;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line: help, presets, and refusals that come before anything starts. */
class GanCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return run(Gan.commandLine(), args);
  }

  private int run(CommandLine cmd, String... args) {
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }

  @Test
  void helpListsEveryCommand() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("demo", "train", "serve-generator", "serve-discriminator", "serve-trainer",
        "serve-gateway", "presets", "runs", "sample", "eval", "bench");
  }

  @Test
  void benchTakesTheRecipeOptionsSaysWhichRecipeItTimedAndProfilesOps() {
    assertThat(run("bench", "--preset", "cgan-projection-aux", "--batch", "8", "--steps", "1", "--warmup", "0",
        "--r1", "1", "--ops", "1")).isZero();
    assertThat(out.toString()).containsPattern("recipe: D .*r1=1").containsPattern("(?m)^total\\s+[0-9.]+\\s+[0-9.]+")
        .contains("ops, in-process, sequential, mean of 1 steps")
        // ops of both networks are timed: D convolves real and fake together (16 rows), G its batch of 8
        .containsPattern("(?m)^\\s+[0-9.]+ ms\\s+[0-9.]+ %\\s+x[0-9]+\\s+conv2d(_bp)? \\[16, ")
        .containsPattern("(?m)^\\s+[0-9.]+ ms\\s+[0-9.]+ %\\s+x[0-9]+\\s+conv2d(_bp)? \\[8, ");
  }

  @Test
  void serviceHelpShowsItsOwnDefaultPort() {
    assertThat(run("serve-generator", "--help")).isZero();
    assertThat(out.toString()).contains("--port").contains("9091").contains("--preset");
    assertThat(run("serve-discriminator", "--help")).isZero();
    assertThat(out.toString()).contains("9092");
  }

  @Test
  void presetsAreListedOnePerLine() {
    assertThat(run("presets")).isZero();
    assertThat(out.toString().lines()).anyMatch(l -> l.startsWith("dcgan-mnist-small"))
        .anyMatch(l -> l.startsWith("tiny"));
    // in columns: the longest name still leaves the batch column where every other line has it
    assertThat(out.toString().lines().map(l -> l.indexOf(" batch ")).distinct()).hasSize(1);
  }

  @Test
  void unknownPresetIsRefusedNamingTheKnownOnes() {
    assertThat(run("train", "--preset", "no-such-gan")).isEqualTo(ErrorReporter.USAGE_ERROR);
    assertThat(err.toString()).contains("unknown preset 'no-such-gan'").contains("dcgan-mnist-small");
  }

  @Test
  void everyPresetIsListedWithItsLoss() {
    assertThat(run("presets")).isZero();
    assertThat(out.toString().lines().count()).isEqualTo(io.gancluster.core.model.recipe.Presets.all().size());
    assertThat(out.toString().lines()).anyMatch(l -> l.startsWith("wgan-gp-transposed") && l.contains("wgan-gp")
        && l.contains("n_critic 5") && l.contains("uniform"));
  }

  @Test
  void aLossThatDoesNotFitTheCriticIsRefusedNamingCriticsThatFit() {
    assertThat(run("train", "--preset", "dcgan-upsample", "--loss", "wgan-gp")).isEqualTo(ErrorReporter.USAGE_ERROR);
    assertThat(err.toString()).contains("wgan-gp does not fit discriminator 'conv3-bn'").contains("batch normalisation")
        .contains("conv5-critic");
  }

  @Test
  void r1IsARecipeOptionRefusedForDiscriminatorsThatMixSamples() {
    RecipeOptions options = CommandLine.populateCommand(new RecipeOptions(), "--r1", "10", "--loss", "hinge");
    assertThat(options.toOverrides().applyTo(io.gancluster.core.model.recipe.Presets.get("tiny"))
        .discriminatorRecipe()).contains("; hinge r1=10;");
    assertThat(run("train", "--preset", "dcgan-upsample", "--r1", "10")).isEqualTo(ErrorReporter.USAGE_ERROR);
    assertThat(err.toString()).contains("R1 regularisation does not fit discriminator 'conv3-bn'")
        .contains("batch normalisation d_bn2");
    assertThat(run("train", "--preset", "tiny", "--r1", "-1")).isEqualTo(ErrorReporter.USAGE_ERROR);
    assertThat(err.toString()).contains("R1 weight γ must be a finite number ≥ 0");
  }

  @Test
  void impossibleOptionCombinationsAreRefusedBeforeTraining() {
    assertThat(run("train", "--preset", "dcgan-mnist-small", "--gp-lambda", "5")).isEqualTo(ErrorReporter.USAGE_ERROR);
    assertThat(err.toString()).contains("only applies to wgan-gp");
    assertThat(run("train", "--preset", "wgan-gp-transposed", "--real-label", "0.9"))
        .isEqualTo(ErrorReporter.USAGE_ERROR);
    assertThat(err.toString()).contains("label smoothing applies to bce, lsgan and lsgan-sigmoid");
    assertThat(run("train", "--loss", "wasserstein")).isEqualTo(ErrorReporter.USAGE_ERROR);
    assertThat(err.toString()).contains("unknown loss 'wasserstein'").contains("bce, lsgan, lsgan-sigmoid, wgan-clip, wgan-gp, hinge");
    assertThat(run("train", "--n-critic", "0")).isEqualTo(ErrorReporter.USAGE_ERROR);
    assertThat(err.toString()).contains("n-critic must be at least 1");
    assertThat(run("serve-discriminator", "--preset", "lsgan", "--loss", "wgan-clip", "--clip", "-1"))
        .isEqualTo(ErrorReporter.USAGE_ERROR);
    assertThat(err.toString()).contains("wgan-clip needs a clip value c > 0");
  }

  @Test
  void aCorruptCheckpointIsOneLineNamingTheFileForSampleAndEval(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
      throws Exception {
    java.nio.file.Path bad = tmp.resolve("checkpoint-000000010.zip");
    java.nio.file.Files.write(bad, new byte[] {'P', 'K', 3, 4, 20, 0, 8, 8, 8, 0, 1, 2, 3});
    assertThat(run("sample", "--checkpoint", bad.toString(), "--out", tmp.resolve("out").toString()))
        .isEqualTo(ErrorReporter.USAGE_ERROR);
    assertThat(run("eval", "--checkpoint", bad.toString())).isEqualTo(ErrorReporter.USAGE_ERROR);
    assertThat(err.toString().lines()).hasSize(2)
        .allMatch(l -> l.contains(bad + ": truncated or not a checkpoint"));
    // cut inside a compressed entry: the zip library's EOF is the cause, the message still names the file
    java.io.ByteArrayOutputStream zip = new java.io.ByteArrayOutputStream();
    try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(zip)) {
      z.putNextEntry(new java.util.zip.ZipEntry("checkpoint.properties"));
      z.write(new java.util.Random(1).ints(4000, 0, 255).mapToObj(i -> Integer.toString(i)).reduce("", String::concat)
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
    java.nio.file.Path cut = tmp.resolve("checkpoint-000000020.zip");
    java.nio.file.Files.write(cut, java.util.Arrays.copyOf(zip.toByteArray(), 200));
    assertThat(run("eval", "--checkpoint", cut.toString())).isEqualTo(ErrorReporter.USAGE_ERROR);
    assertThat(err.toString()).contains("gan eval: " + cut + ": not a readable checkpoint");
    assertThat(run("eval", "--checkpoint", bad.toString(), "--count", "5")).isEqualTo(ErrorReporter.USAGE_ERROR);
    assertThat(err.toString()).contains("--count must be between 10 and 20000, got 5");
  }

  @Test
  void trainUsesThePresetsDataSetUnlessOneIsGiven() {
    RunOptions fashionPreset = CommandLine.populateCommand(new RunOptions(), "--preset", "cgan-full-fashion");
    assertThat(fashionPreset.toConfig().data()).isEqualTo("fashion");
    RunOptions asked = CommandLine.populateCommand(new RunOptions(), "--preset", "cgan-full-fashion", "--data", "mnist");
    assertThat(asked.toConfig().data()).isEqualTo("mnist");
    assertThat(CommandLine.populateCommand(new RunOptions()).toConfig().data()).isEqualTo("mnist");
    assertThat(run("presets")).isZero();
    assertThat(out.toString().lines()).anyMatch(l -> l.startsWith("cgan-full-fashion") && l.contains(" fashion "));
  }

  @Test
  void badPeerAddressIsRefused() {
    assertThat(run("train", "--generator", "nohost")).isEqualTo(ErrorReporter.USAGE_ERROR);
    assertThat(err.toString()).contains("expected HOST:PORT, got 'nohost'");
  }

  @Test
  void missingDataPathIsRefusedBeforeTraining() {
    assertThat(run("train", "--data", "/no/such/mnist", "--generator", "127.0.0.1:1", "--discriminator", "127.0.0.1:2",
        "--port", "0", "--run-dir", System.getProperty("java.io.tmpdir") + "/gan-cli-test"))
        .isEqualTo(ErrorReporter.USAGE_ERROR);
    assertThat(err.toString()).contains("/no/such/mnist");
  }

  @Test
  void sampleWritesMnistFormatFilesFromACheckpointAndRefusesBadLabels(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path tmp) throws Exception {
    io.gancluster.core.model.recipe.Preset p = io.gancluster.core.model.recipe.Presets.get("cgan-concat");
    var g = new io.gancluster.generator.GeneratorTrainer(p, org.nd4j.linalg.api.buffer.DataType.FLOAT, 1);
    var d = new io.gancluster.discriminator.DiscriminatorTrainer(p, org.nd4j.linalg.api.buffer.DataType.FLOAT, 1);
    java.util.Map<String, String> config = java.util.Map.of("preset", p.name(), "generator", p.generatorRecipe(),
        "label_names", String.join(", ", io.gancluster.core.data.DataSources.FASHION_LABELS));
    java.nio.file.Path file = new io.gancluster.core.checkpoint.CheckpointStore(tmp.resolve("checkpoints"), 3)
        .write(new io.gancluster.core.checkpoint.Checkpoint(0, 0, 1, config, g.exportState(), d.exportState()));

    java.nio.file.Path outDir = tmp.resolve("out");
    assertThat(run("sample", "--checkpoint", tmp.toString(), "--label", "Trouser", "--count", "5", "--seed", "42",
        "--out", outDir.toString())).isZero();
    io.gancluster.core.data.ImageSet written = io.gancluster.core.data.IdxFiles.read("samples",
        outDir.resolve("images-idx3-ubyte"), outDir.resolve("labels-idx1-ubyte"));
    assertThat(written.count()).isEqualTo(5);
    assertThat(written.labels(new int[] {0, 1, 2, 3, 4})).containsOnly(1);
    assertThat(outDir.resolve("grid.png")).exists();
    byte[] first = java.nio.file.Files.readAllBytes(outDir.resolve("images-idx3-ubyte"));
    assertThat(run("sample", "--checkpoint", file.toString(), "--label", "1", "--count", "5", "--seed", "42",
        "--out", outDir.toString())).isZero();
    assertThat(java.nio.file.Files.readAllBytes(outDir.resolve("images-idx3-ubyte"))).as("same options, same images")
        .isEqualTo(first);

    assertThat(run("sample", "--checkpoint", file.toString(), "--label", "Sock", "--out", outDir.toString()))
        .isEqualTo(ErrorReporter.USAGE_ERROR);
    assertThat(err.toString()).contains("unknown label 'Sock'").contains("Ankle boot");
    assertThat(run("sample", "--checkpoint", file.toString(), "--preset", "dcgan-mnist-small", "--out",
        outDir.toString())).isEqualTo(ErrorReporter.USAGE_ERROR);
    assertThat(err.toString()).contains("give the options the run was trained with");
  }

  @Test
  void aRunFolderMeansItsBestCheckpointUnlessTheLatestIsAskedForAndTheOutputSaysWhich(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
    io.gancluster.core.model.recipe.Preset p = io.gancluster.core.model.recipe.Presets.get("tiny");
    var latest = trained(p, 1);
    var best = trained(p, 2);
    java.util.Map<String, String> config = java.util.Map.of("preset", p.name(), "generator", p.generatorRecipe(),
        "latent", "normal");
    var store = new io.gancluster.core.checkpoint.CheckpointStore(tmp.resolve("run/checkpoints"), 3);
    store.write(new io.gancluster.core.checkpoint.Checkpoint(10, 0, 1, config, latest.exportState(), new byte[0]));
    String run = tmp.resolve("run").toString();

    assertThat(run("sample", "--checkpoint", run, "--count", "4", "--out", tmp.resolve("a").toString())).isZero();
    assertThat(out.toString()).as("no best.zip yet: the latest, saying why")
        .contains("(checkpoint-000000010.zip, step 10 (the latest: no best.zip (no in-run evaluation)))");
    assertThat(images(tmp.resolve("a"))).isEqualTo(pixels(latest.sample(4, 42, null, 0)));

    store.writeBest(new io.gancluster.core.checkpoint.Checkpoint(5, 0, 1, config, best.exportState(), new byte[0]));
    out.getBuffer().setLength(0);
    assertThat(run("sample", "--checkpoint", run, "--count", "4", "--out", tmp.resolve("b").toString())).isZero();
    assertThat(out.toString()).contains("(best.zip, step 5 (the best by in-run evaluation))");
    assertThat(images(tmp.resolve("b"))).isEqualTo(pixels(best.sample(4, 42, null, 0)));
    assertThat(images(tmp.resolve("b"))).as("best and latest are other weights").isNotEqualTo(images(tmp.resolve("a")));

    out.getBuffer().setLength(0);
    assertThat(run("sample", "--checkpoint", run, "--which", "latest", "--count", "4", "--out",
        tmp.resolve("c").toString())).isZero();
    assertThat(out.toString()).contains("(checkpoint-000000010.zip, step 10 (the latest))");
    assertThat(images(tmp.resolve("c"))).isEqualTo(images(tmp.resolve("a")));

    out.getBuffer().setLength(0);
    assertThat(run("sample", "--checkpoint", store.bestFile().toString(), "--which", "latest", "--count", "4",
        "--out", tmp.resolve("d").toString())).isZero();
    assertThat(out.toString()).as("a file is itself").contains("(best.zip, step 5 (the file given))");

    String e = tmp.resolve("e").toString();
    for (String[] command : new String[][] {{"sample", "--out", e}, {"eval", "--out", e}, {"serve-replica", "--port",
        "0", "--metrics-port", "-1"}}) {
      String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(command),
          java.util.stream.Stream.of("--checkpoint", run, "--which", "newest")).toArray(String[]::new);
      assertThat(run(args)).as(command[0]).isEqualTo(ErrorReporter.USAGE_ERROR);
    }
    assertThat(err.toString().lines().filter(l -> l.contains("expected best or latest, got 'newest'"))).hasSize(3);
    assertThat(tmp.resolve("e")).doesNotExist();
  }

  @Test
  void aRunTrainedWithAnEmaOptionIsSampledFromItsAverageWithoutBeingToldAgain(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
    io.gancluster.core.model.recipe.Preset p = io.gancluster.core.model.recipe.Presets.get("tiny").withEmaDecay(0.9);
    var g = trained(p, 6);
    byte[] average = pixels(g.sample(4, 42, null, 0));
    byte[] raw = pixels(g.sampleRawWeights(true).sample(4, 42, null, 0));
    assertThat(average).as("the average is not the live weights").isNotEqualTo(raw);

    java.util.Map<String, String> now = new java.util.HashMap<>(java.util.Map.of("preset", p.name(), "generator",
        p.generatorRecipe()));
    io.gancluster.core.checkpoint.CheckpointRecipe.record(p, now);
    java.util.Map<String, String> older = java.util.Map.of("preset", p.name(), "generator", p.generatorRecipe());
    int i = 0;
    for (java.util.Map<String, String> config : java.util.List.of(now, older)) {
      java.nio.file.Path file = new io.gancluster.core.checkpoint.CheckpointStore(tmp.resolve("c" + i), 1)
          .write(new io.gancluster.core.checkpoint.Checkpoint(6, 0, 1, config, g.exportState(), new byte[0]));
      java.nio.file.Path a = tmp.resolve("avg" + i);
      java.nio.file.Path r = tmp.resolve("raw" + i++);
      assertThat(run("sample", "--checkpoint", file.toString(), "--count", "4", "--out", a.toString())).isZero();
      assertThat(images(a)).as("%s: the average, as the run served it", config.keySet()).isEqualTo(average);
      assertThat(run("sample", "--checkpoint", file.toString(), "--count", "4", "--raw-weights", "--out",
          r.toString())).isZero();
      assertThat(images(r)).as("%s: --raw-weights", config.keySet()).isEqualTo(raw);
    }
  }

  /** A tiny generator after {@code updates} G updates from made-up image gradients. */
  private static io.gancluster.generator.GeneratorTrainer trained(io.gancluster.core.model.recipe.Preset p,
      int updates) {
    var g = new io.gancluster.generator.GeneratorTrainer(p, org.nd4j.linalg.api.buffer.DataType.FLOAT, 1);
    for (int s = 0; s < updates; s++) {
      g.generate(s, org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 4, 8), true);
      g.applyGradient(s, org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 4, 1, 28, 28)
          .subi(0.5));
    }
    return g;
  }

  private static byte[] images(java.nio.file.Path dir) throws java.io.IOException {
    byte[] file = java.nio.file.Files.readAllBytes(dir.resolve("images-idx3-ubyte"));
    return java.util.Arrays.copyOfRange(file, 16, file.length); // after the IDX header (magic and 3 sizes)
  }

  private static byte[] pixels(org.nd4j.linalg.api.ndarray.INDArray images) {
    return io.gancluster.core.image.Pixels.bytes(images);
  }

  @Test
  void sampleFromAGatewayThatIsDownSaysSoInOneLine() {
    assertThat(run("sample", "--gateway", "127.0.0.1:1", "--out", System.getProperty("java.io.tmpdir") + "/gan-s"))
        .isEqualTo(ErrorReporter.PEER_ERROR);
    assertThat(err.toString()).contains("UNAVAILABLE").contains("127.0.0.1:1").doesNotContain("\tat ");
  }

  @Test
  void onAGpuTheNd4jBuildHasNoCodeForEveryCommandStopsWithOneLineAndExitCode2() {
    ComputeDevice h100 = new ComputeDevice(ComputeDevice.CUDA, "NVIDIA H100 80GB HBM3", 80L << 30,
        "device 0 of 1, compute capability 9.0", new ComputeCapability(9, 0));
    for (String[] command : new String[][] {{"serve-generator"}, {"serve-discriminator"},
        {"serve-replica", "--trainer", "127.0.0.1:1"}, {"train"}}) {
      assertThat(run(Gan.commandLine(() -> h100), command)).as(command[0]).isEqualTo(ErrorReporter.UNSUPPORTED_GPU)
          .isEqualTo(2);
    }
    assertThat(err.toString().lines()).containsExactly(
        "gan serve-generator: " + H100_REFUSAL, "gan serve-discriminator: " + H100_REFUSAL,
        "gan serve-replica: " + H100_REFUSAL, "gan train: " + H100_REFUSAL);
    assertThat(out.toString()).isEmpty();
    assertThat(run(Gan.commandLine(() -> h100), "serve-generator", "--help")).as("help needs no GPU").isZero();
  }

  @Test
  void onAGpuTheBuildRunsOnCommandsGoAhead() {
    ComputeDevice l4 = new ComputeDevice(ComputeDevice.CUDA, "NVIDIA L4", 22L << 30,
        "device 0 of 1, compute capability 8.9", new ComputeCapability(8, 9));
    assertThat(run(Gan.commandLine(() -> l4), "presets")).isZero();
    assertThat(out.toString()).contains("tiny");
    assertThat(err.toString()).isEmpty();
  }

  private static final String H100_REFUSAL = "NVIDIA H100 80GB HBM3 (compute capability 9.0) is not supported by this "
      + "ND4J CUDA build: it has GPU code for compute capability 3.7 to 8.x only (SASS sm_37 sm_50 sm_52 sm_60 sm_61 "
      + "sm_70 sm_75 sm_80 sm_86, no PTX); see docs/cuda.md";
}
