package io.gancluster.launcher;

import io.gancluster.launcher.runfolders.RunFolderReader;
import io.gancluster.launcher.runfolders.RunSummary;
import io.gancluster.launcher.runfolders.RunsTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Lists run folders with what their files record: preset, step, status, last evaluation, best and newest checkpoint. */
@Command(name = "runs", mixinStandardHelpOptions = true,
    description = {"List the run folders under a folder (default runs/): preset, step reached, status, the last",
        "in-run evaluation (FD, label accuracy), the best checkpoint (checkpoints/best.zip: its step and the FD",
        "stored in it; what sample, eval and serve-replica take from a run folder) and the newest readable",
        "checkpoint (what they take with --which latest).", "",
        "Status, from the files (the trainer keeps no status file): finished (checkpoint at the run's length),",
        "stopped (Ctrl-C or --max-minutes; the same train command resumes), failed (steps after the newest",
        "checkpoint and nothing written for 2 minutes: the process died or hit NaN/Inf), running? (still being",
        "written: steps after the newest checkpoint within 2 minutes, or a checkpoint of the last step under",
        "30 s old), corrupt (no checkpoint reads), partial (no checkpoint), empty (no run files).", "",
        "Examples:",
        "  gan runs",
        "  gan runs --root /data/experiments",
        "  gan runs --root runs/demo          one run folder"})
final class RunsCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--root", paramLabel = "DIR", defaultValue = "runs",
      description = "A folder of run folders, or one run folder. Default: ${DEFAULT-VALUE}")
  Path root;

  @Override
  public Integer call() {
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException(root + " is not a folder; train a run first (gan train writes runs/PRESET) "
          + "or name the folder of your runs with --root");
    }
    PrintWriter out = spec.commandLine().getOut();
    List<Path> folders = RunFolderReader.isRunFolder(root) ? List.of(root) : subfolders(root);
    if (folders.isEmpty()) {
      out.println("no run folders under " + root);
      out.flush();
      return 0;
    }
    RunFolderReader reader = new RunFolderReader(Instant.now());
    List<RunSummary> runs = folders.stream().map(reader::read).toList();
    RunsTable.lines(runs).forEach(out::println);
    out.flush();
    return 0;
  }

  private static List<Path> subfolders(Path root) {
    try (Stream<Path> s = Files.list(root)) {
      return s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted().toList();
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + root + ": " + e.getMessage(), e);
    }
  }
}
