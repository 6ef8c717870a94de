package io.gancluster.launcher;

import io.gancluster.core.data.DataSources;
import io.gancluster.core.data.ImageSet;
import io.gancluster.core.eval.EvaluationReport;
import io.gancluster.core.eval.Evaluator;
import io.gancluster.core.eval.EvaluatorCache;
import io.gancluster.generator.GeneratorTrainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Scores a checkpoint's generator with the data set's evaluator classifier. */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = {"Measure a checkpoint's generator: Frechet distance in the evaluator classifier's features",
        "(with the real-train-vs-real-test floor beside it), classifier score, label accuracy (conditional",
        "models), class coverage and balance, precision and recall. Prints a table and writes JSON.", "",
        "The evaluator is a small CNN trained once per training set (a minute or two on 2 cores) and cached",
        "in --cache-dir under the data's checksum.", "",
        "Examples:",
        "  gan eval --checkpoint runs/demo                     (its best checkpoint)",
        "  gan eval --checkpoint runs/demo --which latest",
        "  gan eval --checkpoint runs/cgan-concat/checkpoints/checkpoint-000001600.zip --count 2000"})
final class EvalCommand implements Callable<Integer> {
  @Option(names = "--checkpoint", required = true, paramLabel = "PATH",
      description = "A checkpoint file, or a run folder (its best checkpoint; see --which).")
  Path checkpoint;

  @Option(names = "--count", defaultValue = "1000", description = "Generated images to measure. Default: ${DEFAULT-VALUE}")
  int count;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of z. Default: ${DEFAULT-VALUE}")
  long seed;

  @Option(names = "--data", description = "Training data the evaluator learns from. Default: the checkpoint's.")
  String data;

  @Option(names = "--test-data", description = "Held-out real images to compare with. Default: the data's test split.")
  String testData;

  @Option(names = "--cache-dir", description = "Where trained evaluators are kept. Default: $GAN_CACHE_DIR, "
      + "else ~/.cache/gan-cluster")
  Path cacheDir;

  @Option(names = "--out", paramLabel = "FILE",
      description = "JSON report. Default: RUN/eval/CHECKPOINT.json beside the run's checkpoints.")
  Path out;

  @Mixin
  CheckpointModelOptions model = new CheckpointModelOptions();

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    if (count < 10 || count > 20_000) {
      throw new IllegalArgumentException("--count must be between 10 and 20000, got " + count);
    }
    CheckpointGenerator loaded = model.load(checkpoint);
    String trainSpec = data != null ? data : loaded.data();
    ImageSet train = DataSources.load(trainSpec);
    ImageSet test = DataSources.load(testData != null ? testData : DataSources.testSplitOf(trainSpec));
    PrintWriter err = spec.commandLine().getErr();
    boolean interactive = TerminalProgress.interactive();
    Evaluator evaluator;
    try (TerminalProgress bar = new TerminalProgress("evaluator")) {
      evaluator = EvaluatorCache.load(train, test, trainSpec,
          cacheDir != null ? cacheDir : EvaluatorCache.defaultDirectory(), line -> {
            if (!interactive || !line.startsWith("  evaluator step")) { // the bar shows the steps
              err.println(line);
              err.flush();
            }
          }, interactive ? bar::step : (done, total) -> {});
    }
    GeneratorTrainer g = loaded.generator();
    int[] labels = g.classes() > 0 ? g.sampleLabels(count, null) : null;
    EvaluationReport report = evaluator.evaluate(g.sample(count, seed, labels, 0f), labels);
    Path json = out != null ? out : defaultOut(loaded.file());
    write(json, new io.vertx.core.json.JsonObject(report.toMap()).put("checkpoint", loaded.file().toString()).put("seed", seed).encodePrettily());
    PrintWriter o = spec.commandLine().getOut();
    o.print("checkpoint " + loaded.file() + ", step " + loaded.checkpoint().step() + " (" + loaded.which() + ")\n"
        + report.table());
    o.println("wrote " + json);
    return 0;
  }

  private static Path defaultOut(Path checkpointFile) {
    Path dir = checkpointFile.toAbsolutePath().getParent();
    Path run = dir.getFileName() != null && dir.getFileName().toString().equals("checkpoints") ? dir.getParent() : dir;
    String name = checkpointFile.getFileName().toString().replaceFirst("\\.zip$", "");
    return run.resolve("eval").resolve(name + ".json");
  }

  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, text + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
