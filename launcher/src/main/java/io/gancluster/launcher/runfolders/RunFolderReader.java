package io.gancluster.launcher.runfolders;

import io.gancluster.core.checkpoint.Checkpoint;
import io.gancluster.core.checkpoint.CheckpointException;
import io.gancluster.core.checkpoint.CheckpointStore;
import io.gancluster.trainer.eval.RunEvaluation;
import io.gancluster.trainer.run.EvaluationScore;
import io.gancluster.trainer.run.RunFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads what a run folder records (checkpoints/, losses.csv, eval.csv, as the trainer writes them) into a
 * {@link RunSummary}. Never throws for a damaged folder: what cannot be read becomes the status and a note.
 */
public final class RunFolderReader {
  /** Files changed more recently than this mean a trainer is probably still writing (a step, an evaluation). */
  public static final Duration ACTIVE_WITHIN = Duration.ofMinutes(2);
  /**
   * A run whose last step is checkpointed is running only if it writes again soon (the next step's loss row
   * comes seconds after a checkpoint); a clean stop writes that checkpoint last.
   */
  public static final Duration SETTLED_AFTER = Duration.ofSeconds(30);

  private final Instant now;

  /** @param now what "recently" is measured from */
  public RunFolderReader(Instant now) {
    this.now = now;
  }

  /** Whether {@code dir} holds any of a run's files (and so is a run folder itself, not a folder of runs). */
  public static boolean isRunFolder(Path dir) {
    RunFolder run = new RunFolder(dir);
    return Files.isDirectory(run.checkpoints().directory()) || Files.exists(run.lossesCsv())
        || Files.exists(evalCsv(dir));
  }

  public RunSummary read(Path dir) {
    RunFolder run = new RunFolder(dir);
    List<String> notes = new ArrayList<>();
    List<Path> files = listCheckpoints(run, notes);
    Checkpoint newest = null;
    Path newestFile = null;
    for (Path file : files) {
      try {
        newest = CheckpointStore.read(file);
        newestFile = file;
        break;
      } catch (CheckpointException e) {
        notes.add("unreadable " + file.getFileName() + ": " + e.getMessage().replace(file + ": ", ""));
      }
    }
    long lossStep = lastLossStep(run.lossesCsv(), notes);
    RunSummary.Evaluation eval = lastEvaluation(evalCsv(dir), notes);
    RunSummary.Best best = best(run, notes);
    Instant lastWrite = lastWrite(dir);
    boolean active = lastWrite.isAfter(now.minus(ACTIVE_WITHIN));

    if (newest == null) {
      RunStatus status = !files.isEmpty() ? RunStatus.CORRUPT
          : active && lossStep >= 0 ? RunStatus.RUNNING
          : isRunFolder(dir) ? RunStatus.PARTIAL : RunStatus.EMPTY;
      if (status == RunStatus.PARTIAL) {
        notes.add("no checkpoint");
      } else if (status == RunStatus.EMPTY) {
        notes.add("no checkpoints/, losses.csv or eval.csv");
      }
      return new RunSummary(dir, null, lossStep, -1, status, eval, best, null, String.join("; ", notes));
    }
    long maxSteps = parseLong(newest.config().get("max_steps"));
    long step = Math.max(newest.step(), lossStep);
    RunStatus status;
    if (maxSteps > 0 && newest.step() >= maxSteps) {
      status = RunStatus.FINISHED;
    } else if (lossStep > newest.step()) {
      status = active ? RunStatus.RUNNING : RunStatus.FAILED;
      if (!active) {
        notes.add("steps " + (newest.step() + 1) + ".." + lossStep + " were taken after the newest readable checkpoint");
      }
    } else {
      status = lastWrite.isAfter(now.minus(SETTLED_AFTER)) ? RunStatus.RUNNING : RunStatus.STOPPED;
    }
    return new RunSummary(dir, newest.config().get("preset"), step, maxSteps, status, eval, best, newestFile,
        String.join("; ", notes));
  }

  private static Path evalCsv(Path dir) {
    return dir.resolve("eval.csv"); // where RunEvaluation writes it
  }

  private static List<Path> listCheckpoints(RunFolder run, List<String> notes) {
    try {
      return run.checkpoints().listNewestFirst();
    } catch (CheckpointException e) {
      notes.add(e.getMessage());
      return List.of();
    }
  }

  /** checkpoints/best.zip with the score it carries; null when there is none or it does not read (a note says so). */
  private static RunSummary.Best best(RunFolder run, List<String> notes) {
    Path file = run.checkpoints().bestFile();
    if (!Files.exists(file)) {
      return null;
    }
    try {
      Checkpoint best = CheckpointStore.read(file);
      EvaluationScore score = EvaluationScore.fromConfig(best.config());
      return new RunSummary.Best(file, best.step(), score == null ? Double.NaN : score.frechetDistance(),
          score == null ? Double.NaN : score.labelAccuracy());
    } catch (CheckpointException e) {
      notes.add("unreadable " + CheckpointStore.BEST_FILE + ": " + e.getMessage().replace(file + ": ", ""));
      return null;
    }
  }

  /** The step of the last complete row of losses.csv; -1 when there is none. */
  private static long lastLossStep(Path csv, List<String> notes) {
    List<String[]> rows = rows(csv, RunFolder.CSV_HEADER, notes);
    for (int i = rows.size() - 1; i >= 0; i--) {
      long step = parseLong(rows.get(i)[0]);
      if (step >= 0) {
        return step;
      }
    }
    return -1;
  }

  /** The last complete row of eval.csv, by its header's column names; null when there is none. */
  private static RunSummary.Evaluation lastEvaluation(Path csv, List<String> notes) {
    List<String> header = Arrays.asList(RunEvaluation.CSV_HEADER.split(","));
    int fd = header.indexOf("frechet_distance");
    int accuracy = header.indexOf("label_accuracy");
    List<String[]> rows = rows(csv, RunEvaluation.CSV_HEADER, notes);
    for (int i = rows.size() - 1; i >= 0; i--) {
      String[] row = rows.get(i);
      long step = parseLong(row[0]);
      if (step >= 0) {
        return new RunSummary.Evaluation(step, parseDouble(row[fd]), parseDouble(row[accuracy]));
      }
    }
    return null;
  }

  /** The data rows of a CSV file that have as many fields as {@code header}; a cut last line is skipped. */
  private static List<String[]> rows(Path csv, String header, List<String> notes) {
    if (!Files.isRegularFile(csv)) {
      return List.of();
    }
    int columns = header.split(",").length;
    List<String[]> rows = new ArrayList<>();
    try (Stream<String> lines = Files.lines(csv, StandardCharsets.UTF_8)) {
      lines.filter(l -> !l.isEmpty() && Character.isDigit(l.charAt(0))).map(l -> l.split(",", -1))
          .filter(r -> r.length == columns).forEach(rows::add);
    } catch (IOException | UncheckedIOException e) {
      notes.add("cannot read " + csv.getFileName() + ": " + e.getMessage());
    }
    return rows;
  }

  /** When the run's own files last changed (not the folder's: copying it touches that); EPOCH if never. */
  private static Instant lastWrite(Path dir) {
    RunFolder run = new RunFolder(dir);
    List<Path> watched = new ArrayList<>(List.of(run.lossesCsv(), evalCsv(dir), run.samples().resolve("latest.png")));
    try {
      watched.addAll(run.checkpoints().listNewestFirst());
    } catch (CheckpointException e) {
      // unreadable checkpoints/ folder: the CSV files still tell
    }
    Instant last = Instant.EPOCH;
    for (Path p : watched) {
      try {
        Instant modified = Files.getLastModifiedTime(p).toInstant();
        last = modified.isAfter(last) ? modified : last;
      } catch (IOException e) {
        // absent, gone since listed, or unreadable: not evidence of activity
      }
    }
    return last;
  }

  private static long parseLong(String text) {
    try {
      return text == null ? -1 : Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static double parseDouble(String text) {
    try {
      return Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
