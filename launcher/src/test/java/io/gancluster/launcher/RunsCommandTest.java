package io.gancluster.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gancluster.core.checkpoint.Checkpoint;
import io.gancluster.core.checkpoint.CheckpointStore;
import io.gancluster.core.model.recipe.Presets;
import io.gancluster.discriminator.DiscriminatorVerticle;
import io.gancluster.generator.GeneratorVerticle;
import io.gancluster.runtime.networkservice.NetworkServiceOptions;
import io.gancluster.runtime.rpc.Blocking;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.trainer.eval.EvaluationSettings;
import io.gancluster.trainer.run.EvaluationScore;
import io.gancluster.trainer.run.RunConfig;
import io.gancluster.trainer.run.RunFolder;
import io.gancluster.trainer.service.TrainerOptions;
import io.gancluster.trainer.service.TrainerVerticle;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gan runs} over run folders of a real tiny training (40 steps on 256 digits, checkpoints every 10,
 * the newest 3 kept, evaluated at steps 32 and 40, the better kept as best.zip) and copies of it cut the way
 * a stopped, crashed, running or damaged run leaves its folder, with the trainer's own classes.
 */
class RunsCommandTest {
  @TempDir
  static Path tmp;
  static Path root;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void trainAndDamage() throws Exception {
    root = tmp.resolve("runs");
    Path finished = root.resolve("finished");
    trainTiny(finished, TinyCluster.smallMnist(tmp.resolve("data")), tmp.resolve("cache"));

    Path stopped = copy(finished, root.resolve("stopped"));
    Files.delete(checkpoint(stopped, 40));
    new RunFolder(stopped).prepareLosses(30); // what a resume keeps, and what Ctrl-C at step 30 leaves
    keepEvaluationsUpTo(stopped, 30);

    Path failed = copy(finished, root.resolve("failed"));
    Files.delete(checkpoint(failed, 40)); // died after step 40's loss row, before its checkpoint
    keepEvaluationsUpTo(failed, 32);
    Files.writeString(failed.resolve("losses.csv"), "41,1,0.69", StandardOpenOption.APPEND); // cut mid-row

    Path running = copy(finished, root.resolve("running"));
    Files.delete(checkpoint(running, 40));
    Path checkpointed = copy(stopped, root.resolve("checkpointed")); // its last step checkpointed just now
    Path justStopped = copy(stopped, root.resolve("just-stopped"));
    age(justStopped, Instant.now().minus(Duration.ofMinutes(1)));

    Path badBest = copy(finished, root.resolve("bad-best"));
    byte[] best = Files.readAllBytes(bestFile(badBest));
    Files.write(bestFile(badBest), Arrays.copyOf(best, best.length / 2));

    Path unscored = copy(finished, root.resolve("unscored")); // a best.zip without the score inside it
    Checkpoint scored = CheckpointStore.read(bestFile(unscored));
    Map<String, String> config = new LinkedHashMap<>(scored.config());
    config.keySet().removeAll(new EvaluationScore(1, 1).toConfig().keySet());
    new CheckpointStore(unscored.resolve("checkpoints"), 3).writeBest(new Checkpoint(scored.step(), scored.epoch(),
        scored.seed(), config, scored.generatorState(), scored.discriminatorState()));

    Path damaged = copy(finished, root.resolve("damaged"));
    byte[] bytes = Files.readAllBytes(checkpoint(damaged, 40));
    Files.write(checkpoint(damaged, 40), Arrays.copyOf(bytes, bytes.length / 2));

    Path corrupt = Files.createDirectories(root.resolve("corrupt").resolve("checkpoints"));
    Files.write(corrupt.resolve("checkpoint-000000010.zip"), new byte[] {'P', 'K', 3, 4, 20, 0, 8, 8, 8, 0, 1, 2});
    Files.write(root.resolve("corrupt").resolve("losses.csv"), Files.readAllLines(finished.resolve("losses.csv"))
        .subList(0, 11));

    Path partial = Files.createDirectories(root.resolve("partial"));
    Files.writeString(partial.resolve("losses.csv"), RunFolder.CSV_HEADER + "\n");
    Files.createDirectories(root.resolve("empty"));
    Files.createDirectories(root.resolve(".hidden"));
    Files.writeString(root.resolve("notes.txt"), "not a run\n");

    Instant longAgo = Instant.now().minus(Duration.ofMinutes(30));
    for (Path run : List.of(finished, stopped, failed, damaged, badBest, unscored, root.resolve("corrupt"), partial)) {
      age(run, longAgo); // nothing written lately: not running
    }
  }

  @Test
  void eachRunFolderIsOneRowWithPresetStepStatusEvaluationAndCheckpoint() throws Exception {
    assertThat(run("runs", "--root", root.toString())).as(err.toString()).isZero();
    assertThat(err.toString()).as("no backend line: runs needs no ND4J").isEmpty();

    Map<String, List<String>> rows = rows(out.toString());
    assertThat(rows.keySet()).containsExactly("bad-best", "checkpointed", "corrupt", "damaged", "empty", "failed",
        "finished", "just-stopped", "partial", "running", "stopped", "unscored");
    String checkpoints = root + "/%s/checkpoints/checkpoint-%09d.zip";
    Checkpoint best = CheckpointStore.read(bestFile(root.resolve("finished")));
    double bestFd = EvaluationScore.fromConfig(best.config()).frechetDistance();
    assertThat(rows.get("finished")).containsExactly("tiny", "40/40", "finished", "40", rows.get("finished").get(4),
        "-", Long.toString(best.step()), String.format(Locale.ROOT, "%.2f", bestFd),
        String.format(checkpoints, "finished", 40), "");
    assertThat(Double.parseDouble(rows.get("finished").get(4))).as("FD").isPositive();
    Map<Long, Double> evaluated = evaluations(root.resolve("finished"));
    assertThat(evaluated).as("eval.csv").containsOnlyKeys(32L, 40L);
    assertThat(evaluated.get(best.step())).as("eval.csv has 4 decimals").isCloseTo(bestFd, within(1e-4));
    assertThat(evaluated.values()).as("best.zip's FD is the lowest evaluated").allSatisfy(fd ->
        assertThat(fd).isGreaterThanOrEqualTo(bestFd - 1e-4));
    assertThat(rows.get("stopped")).containsExactly("tiny", "30/40", "stopped", "-", "-", "-", "-", "-",
        String.format(checkpoints, "stopped", 30), "");
    assertThat(rows.get("failed").subList(0, 4)).containsExactly("tiny", "40/40", "failed", "32");
    assertThat(rows.get("failed").get(6)).as("best.zip as of step 32's evaluation").isEqualTo("32");
    assertThat(Double.parseDouble(rows.get("failed").get(7))).isCloseTo(evaluations(root.resolve("failed")).get(32L),
        within(0.0051));
    assertThat(rows.get("failed").get(8)).isEqualTo(String.format(checkpoints, "failed", 30));
    assertThat(rows.get("failed").get(9)).isEqualTo("steps 31..40 were taken after the newest readable checkpoint");
    assertThat(rows.get("bad-best")).as("a best.zip that does not read").containsExactly("tiny", "40/40", "finished",
        "40", rows.get("finished").get(4), "-", "-", "-", String.format(checkpoints, "bad-best", 40),
        rows.get("bad-best").get(9));
    assertThat(rows.get("bad-best").get(9)).startsWith("unreadable best.zip: ");
    assertThat(rows.get("unscored").subList(6, 10)).as("a best.zip without its score: the step alone")
        .containsExactly(Long.toString(best.step()), "-", String.format(checkpoints, "unscored", 40), "");
    assertThat(rows.get("running").subList(0, 3)).containsExactly("tiny", "40/40", "running?");
    assertThat(rows.get("checkpointed").subList(0, 3)).as("the next step may come any second")
        .containsExactly("tiny", "30/40", "running?");
    assertThat(rows.get("just-stopped").subList(0, 3)).as("no step for a minute after a checkpoint")
        .containsExactly("tiny", "30/40", "stopped");
    assertThat(rows.get("damaged").get(2)).isEqualTo("failed");
    assertThat(rows.get("damaged").get(8)).as("the newest that reads").isEqualTo(String.format(checkpoints, "damaged", 30));
    assertThat(rows.get("damaged").get(9)).startsWith("unreadable checkpoint-000000040.zip: ")
        .contains("checkpoint (", "; steps 31..40 were taken after the newest readable checkpoint");
    assertThat(rows.get("corrupt").subList(0, 3)).containsExactly("-", "10", "corrupt");
    assertThat(rows.get("corrupt").get(9))
        .startsWith("unreadable checkpoint-000000010.zip: truncated or not a checkpoint");
    assertThat(rows.get("partial").subList(0, 3)).containsExactly("-", "-", "partial");
    assertThat(rows.get("partial").get(9)).isEqualTo("no checkpoint");
    assertThat(rows.get("empty").get(2)).isEqualTo("empty");
  }

  @Test
  void columnsAreAlignedUnderTheirHeadings() {
    assertThat(run("runs", "--root", root.toString())).isZero();
    List<String> lines = out.toString().lines().toList();
    String header = lines.get(0);
    assertThat(header).startsWith("RUN").contains("PRESET", "STEP", "STATUS", "EVAL STEP", "FD", "LABEL ACC",
        "BEST STEP", "BEST FD", "LATEST CHECKPOINT", "NOTE");
    for (String line : lines.subList(1, lines.size())) {
      assertThat(line.charAt(header.indexOf("STATUS") - 1)).as(line).isEqualTo(' ');
      assertThat(line.substring(header.indexOf("STATUS"))).as(line)
          .matches("(finished|stopped|running\\?|failed|corrupt|partial|empty) .*");
      int stepEnd = header.indexOf("STEP") + "STEP".length(); // right-aligned: numbers end under the heading
      assertThat(line.charAt(stepEnd - 1)).as(line).isNotEqualTo(' ');
      assertThat(line.charAt(stepEnd)).as(line).isEqualTo(' ');
    }
  }

  @Test
  void aRunFolderAsRootIsListedAlone() {
    assertThat(run("runs", "--root", root.resolve("finished").toString())).isZero();
    assertThat(rows(out.toString())).containsOnlyKeys("finished");
  }

  @Test
  void aMissingRootIsOneLineAndAnEmptyOneSaysSo() throws IOException {
    Path none = tmp.resolve("no-such-runs");
    assertThat(run("runs", "--root", none.toString())).isEqualTo(ErrorReporter.USAGE_ERROR);
    assertThat(err.toString().lines()).containsExactly("gan runs: " + none + " is not a folder; train a run first "
        + "(gan train writes runs/PRESET) or name the folder of your runs with --root");

    Path empty = Files.createDirectories(tmp.resolve("no-runs-yet"));
    assertThat(run("runs", "--root", empty.toString())).isZero();
    assertThat(out.toString()).isEqualTo("no run folders under " + empty + "\n");
  }

  private int run(String... args) {
    var cmd = Gan.commandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }

  /** Table rows by run name: the other cells, split where columns are (two or more spaces). */
  private static Map<String, List<String>> rows(String table) {
    Map<String, List<String>> rows = new LinkedHashMap<>();
    List<String> lines = table.lines().toList();
    int columns = lines.get(0).split(" {2,}").length;
    for (String line : lines.subList(1, lines.size())) {
      List<String> cells = new java.util.ArrayList<>(Arrays.asList(line.split(" {2,}")));
      while (cells.size() < columns) {
        cells.add(""); // no note
      }
      rows.put(cells.get(0), cells.subList(1, cells.size()));
    }
    return rows;
  }

  /** The tiny preset trained for 40 steps by real services on loopback, evaluated at each epoch end. */
  private static void trainTiny(Path runDir, Path data, Path cache) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      var tiny = Presets.get("tiny");
      DiscriminatorVerticle d = new DiscriminatorVerticle(NetworkServiceOptions.forDiscriminator(tiny, 3).setPort(0));
      GeneratorVerticle g = new GeneratorVerticle(NetworkServiceOptions.forGenerator(tiny, 3).setPort(0));
      Blocking.await(vertx.deployVerticle(d), Duration.ofMinutes(2));
      Blocking.await(vertx.deployVerticle(g), Duration.ofMinutes(2));
      TrainerVerticle trainer = new TrainerVerticle(new TrainerOptions().setPort(0)
          .setGenerator(new HostPort("127.0.0.1", g.actualPort()))
          .setDiscriminator(new HostPort("127.0.0.1", d.actualPort()))
          .setRun(new RunConfig("tiny", data.toString(), 3, runDir, 40, 0, 10))
          .setEvaluation(new EvaluationSettings(1, 100, cache, null)));
      Blocking.await(vertx.deployVerticle(trainer), Duration.ofMinutes(2));
      trainer.controller().finished().get(5, TimeUnit.MINUTES);
    } finally {
      Blocking.await(vertx.close(), Duration.ofSeconds(30));
    }
  }

  private static Path checkpoint(Path run, long step) {
    return run.resolve("checkpoints").resolve(String.format("checkpoint-%09d.zip", step));
  }

  /** Cuts eval.csv after {@code step}, and best.zip to what those evaluations leave (the best of them). */
  private static void keepEvaluationsUpTo(Path run, long step) throws IOException {
    Path csv = run.resolve("eval.csv");
    List<String> kept = Files.readAllLines(csv).stream()
        .filter(l -> !Character.isDigit(l.charAt(0)) || Long.parseLong(l.substring(0, l.indexOf(','))) <= step)
        .toList();
    Files.write(csv, kept, StandardCharsets.UTF_8);
    Map<Long, Double> left = evaluations(run);
    Checkpoint best = CheckpointStore.read(bestFile(run));
    if (best.step() > step) {
      Files.delete(bestFile(run));
      if (!left.isEmpty()) {
        // the best of the evaluations left, as the trainer would have kept it then (with the weights of the
        // checkpoint before it: gan runs reads only best.zip's step and score)
        long at = left.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
        Checkpoint c = CheckpointStore.read(checkpoint(run, at / 10 * 10));
        Map<String, String> config = new LinkedHashMap<>(c.config());
        config.putAll(new EvaluationScore(left.get(at), Double.NaN).toConfig());
        new CheckpointStore(run.resolve("checkpoints"), 3).writeBest(new Checkpoint(at, c.epoch(), c.seed(), config,
            c.generatorState(), c.discriminatorState()));
      }
    }
  }

  /** eval.csv's Fréchet distance by step. */
  private static Map<Long, Double> evaluations(Path run) throws IOException {
    List<String> header = Arrays.asList(io.gancluster.trainer.eval.RunEvaluation.CSV_HEADER.split(","));
    int fd = header.indexOf("frechet_distance");
    Map<Long, Double> byStep = new LinkedHashMap<>();
    for (String line : Files.readAllLines(run.resolve("eval.csv"))) {
      if (!line.isEmpty() && Character.isDigit(line.charAt(0))) {
        String[] row = line.split(",", -1);
        byStep.put(Long.parseLong(row[0]), Double.parseDouble(row[fd]));
      }
    }
    return byStep;
  }

  private static Path bestFile(Path run) {
    return run.resolve("checkpoints").resolve(CheckpointStore.BEST_FILE);
  }

  private static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target); // a fresh modification time, as a trainer writing now would leave
        }
      }
    }
    return to;
  }

  private static void age(Path run, Instant when) throws IOException {
    try (Stream<Path> files = Files.walk(run)) {
      for (Path p : files.toList()) {
        Files.setLastModifiedTime(p, FileTime.from(when));
      }
    }
  }
}
