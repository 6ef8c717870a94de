package io.gancluster.launcher.runfolders;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Run summaries as a plain table: one header line, one line per run, columns aligned with spaces. */
public final class RunsTable {
  static final String[] HEADER = {"RUN", "PRESET", "STEP", "STATUS", "EVAL STEP", "FD", "LABEL ACC", "BEST STEP",
      "BEST FD", "LATEST CHECKPOINT", "NOTE"};
  /** Numbers read best right-aligned. */
  private static final boolean[] RIGHT = {false, false, true, false, true, true, true, true, true, false, false};

  private RunsTable() {}

  public static List<String> lines(List<RunSummary> runs) {
    List<String[]> cells = new ArrayList<>();
    cells.add(HEADER);
    runs.forEach(r -> cells.add(row(r)));
    int[] width = new int[HEADER.length];
    for (String[] row : cells) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    List<String> lines = new ArrayList<>();
    for (String[] row : cells) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        String pad = " ".repeat(width[i] - row[i].length());
        line.append(i == 0 ? "" : "  ").append(RIGHT[i] ? pad + row[i] : row[i] + pad);
      }
      lines.add(line.toString().stripTrailing());
    }
    return lines;
  }

  private static String[] row(RunSummary r) {
    RunSummary.Evaluation e = r.evaluation();
    RunSummary.Best best = r.best();
    return new String[] {
        name(r.folder()),
        r.preset() == null ? "-" : r.preset(),
        r.step() < 0 ? "-" : r.maxSteps() > 0 ? r.step() + "/" + r.maxSteps() : Long.toString(r.step()),
        r.status().label(),
        e == null ? "-" : Long.toString(e.step()),
        e == null ? "-" : number("%.2f", e.frechetDistance()),
        e == null ? "-" : number("%.3f", e.labelAccuracy()),
        best == null ? "-" : Long.toString(best.step()),
        best == null ? "-" : number("%.2f", best.frechetDistance()),
        r.checkpoint() == null ? "-" : r.checkpoint().toString(),
        r.note() == null ? "" : r.note()};
  }

  private static String name(Path folder) {
    Path name = folder.getFileName();
    return name == null ? folder.toString() : name.toString();
  }

  /** NaN (an unconditional model's label accuracy) shows as "-". */
  private static String number(String format, double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, format, v);
  }
}
