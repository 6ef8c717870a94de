package io.gancluster.core.plot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The numbers behind the training charts: per-step losses and scores, per-evaluation FD. Built from a
 * run folder's CSV files (trainer) or from the progress feed (gateway). Bounded: past {@link #MAX_POINTS}
 * step points every other one is dropped, so a days-long run keeps its whole shape in fixed memory.
 * Thread-safe.
 */
public final class TrainingHistory {
  public static final int MAX_POINTS = 4000;

  /** One training step as the charts see it; NaN where a loss does not define a value. */
  public record StepPoint(long step, double dLoss, double gLoss, double realScore, double fakeScore,
      double wasserstein, double penalty) {}

  /** One evaluation: FD and its floor, classifier score, label accuracy (NaN when unconditional). */
  public record EvalPoint(long step, double frechetDistance, double floor, double classifierScore,
      double labelAccuracy) {}

  private final List<StepPoint> steps = new ArrayList<>();
  private final List<EvalPoint> evals = new ArrayList<>();
  private long stride = 1;

  public synchronized void add(StepPoint p) {
    if (!steps.isEmpty() && p.step() <= steps.get(steps.size() - 1).step()) {
      steps.removeIf(s -> s.step() >= p.step()); // a restarted or resumed run rewrites its later steps
      evals.removeIf(e -> e.step() >= p.step());
    }
    if (p.step() % stride != 0) {
      return;
    }
    steps.add(p);
    if (steps.size() > MAX_POINTS) {
      stride *= 2;
      steps.removeIf(s -> s.step() % stride != 0);
    }
  }

  public synchronized void add(EvalPoint p) {
    evals.removeIf(e -> e.step() >= p.step());
    evals.add(p);
  }

  public synchronized List<StepPoint> steps() {
    return List.copyOf(steps);
  }

  public synchronized List<EvalPoint> evaluations() {
    return List.copyOf(evals);
  }

  /** Reads losses.csv (RunFolder's columns) and, if present, eval.csv (RunEvaluation's columns). */
  public static TrainingHistory fromCsv(Path losses, Path eval) {
    TrainingHistory h = new TrainingHistory();
    for (String[] r : rows(losses)) {
      h.add(new StepPoint(Long.parseLong(r[0]), num(r[2]), num(r[3]), num(r[4]), num(r[5]), num(r[6]), num(r[7])));
    }
    for (String[] r : rows(eval)) {
      h.add(new EvalPoint(Long.parseLong(r[0]), num(r[3]), num(r[4]), num(r[5]), num(r[6])));
    }
    return h;
  }

  private static List<String[]> rows(Path csv) {
    List<String[]> out = new ArrayList<>();
    if (csv == null || !Files.exists(csv)) {
      return out;
    }
    try {
      for (String line : Files.readAllLines(csv)) {
        if (!line.isEmpty() && Character.isDigit(line.charAt(0))) {
          out.add(line.split(","));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + csv, e);
    }
    return out;
  }

  private static double num(String s) {
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
