package io.gancluster.trainer.run;

import io.gancluster.core.checkpoint.CheckpointStore;
import io.gancluster.core.plot.GridAnimation;
import io.gancluster.core.plot.TrainingCharts;
import io.gancluster.core.plot.TrainingHistory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import io.gancluster.trainer.schedule.StepReport;

/**
 * The files of one run: {@code checkpoints/}, {@code losses.csv}, {@code eval.csv}, {@code samples/step-N.png}
 * (plus {@code samples/latest.png} and {@code samples/progress.gif}) and {@code plots/training.png}.
 */
public final class RunFolder {
  public static final String CSV_HEADER =
      "step,epoch,d_loss,g_loss,real_score,fake_score,wasserstein_estimate,gradient_penalty,critic_grad_norm,step_seconds";
  private final int checkpointsKept;

  private final Path root;

  public RunFolder(Path root) {
    this(root, RunConfig.DEFAULT_KEEP_CHECKPOINTS);
  }

  /** @param checkpointsKept the newest this many checkpoints stay; older ones are deleted after each write */
  public RunFolder(Path root, int checkpointsKept) {
    this.root = root;
    this.checkpointsKept = checkpointsKept;
  }

  public Path root() {
    return root;
  }

  public CheckpointStore checkpoints() {
    return new CheckpointStore(root.resolve("checkpoints"), checkpointsKept);
  }

  public Path lossesCsv() {
    return root.resolve("losses.csv");
  }

  public Path samples() {
    return root.resolve("samples");
  }

  /** Starts the CSV, or on resume keeps only rows up to the checkpoint's step (later rows were not kept). */
  public void prepareLosses(long resumedStep) {
    try {
      Files.createDirectories(root);
      Path csv = lossesCsv();
      List<String> keep = new ArrayList<>();
      keep.add(CSV_HEADER);
      if (Files.exists(csv)) {
        for (String line : Files.readAllLines(csv, StandardCharsets.UTF_8)) {
          int comma = line.indexOf(',');
          if (comma > 0 && Character.isDigit(line.charAt(0)) && Long.parseLong(line.substring(0, comma)) <= resumedStep) {
            keep.add(line);
          }
        }
      }
      Files.write(csv, keep, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + lossesCsv(), e);
    }
  }

  public void appendLoss(StepReport r) {
    String row = String.format(Locale.ROOT, "%d,%d,%.6f,%.6f,%.5f,%.5f,%.6f,%.6f,%.5f,%.4f%n", r.step(), r.epoch(),
        r.dLoss(), r.gLoss(), r.realScore(), r.fakeScore(), r.wassersteinEstimate(), r.gradientPenalty(),
        r.criticGradNorm(), r.stepSeconds());
    try {
      Files.writeString(lossesCsv(), row, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + lossesCsv(), e);
    }
  }

  public Path plots() {
    return root.resolve("plots");
  }

  /**
   * Redraws plots/training.png (losses, scores, W/GP, FD) from the CSV files and, when asked,
   * samples/progress.gif from the grids so far (the GIF costs a second or two, so only at checkpoints).
   */
  public void refreshPlots(boolean animation) {
    try {
      Files.createDirectories(plots());
      byte[] png = TrainingCharts.png(TrainingHistory.fromCsv(lossesCsv(), root.resolve("eval.csv")));
      Path tmp = plots().resolve(".training.png.tmp");
      Files.write(tmp, png);
      Files.move(tmp, plots().resolve("training.png"), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      if (animation && Files.isDirectory(samples())) { // none before the first grid (the step-0 checkpoint)
        GridAnimation.write(samples(), samples().resolve("progress.gif"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write plots under " + root, e);
    }
  }

  /** Writes samples/step-N.png and refreshes samples/latest.png. */
  public Path writeGrid(long step, byte[] png) {
    try {
      Files.createDirectories(samples());
      Path file = samples().resolve(String.format("step-%06d.png", step));
      Files.write(file, png);
      Path tmp = samples().resolve(".latest.png.tmp");
      Files.write(tmp, png);
      Files.move(tmp, samples().resolve("latest.png"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write sample grid under " + samples(), e);
    }
  }
}
