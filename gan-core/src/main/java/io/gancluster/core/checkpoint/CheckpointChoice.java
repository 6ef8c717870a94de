package io.gancluster.core.checkpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Which checkpoint of a run folder a loader takes: the one its in-run evaluation scored best (when there is
 * one; otherwise the newest), or the newest. A path naming a checkpoint file is that file, whichever is chosen.
 */
public enum CheckpointChoice {
  /** {@value CheckpointStore#BEST_FILE} when the run has a readable one, else the newest checkpoint. */
  BEST,
  /** The newest readable {@code checkpoint-STEP.zip}. */
  LATEST;

  /** A checkpoint file a path stood for, and in words which one it is (for a log line or the output). */
  public record Chosen(Path file, String which) {}

  /** "best" or "latest", any case. */
  public static CheckpointChoice parse(String name) {
    for (CheckpointChoice c : values()) {
      if (c.name().equalsIgnoreCase(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException("expected best or latest, got '" + name + "'");
  }

  /**
   * The checkpoint file {@code path} stands for: a file is itself; a run folder (or its {@code checkpoints}
   * folder) gives its best or newest readable checkpoint.
   *
   * @throws IllegalArgumentException when a folder holds no readable checkpoint
   */
  public Path resolve(Path path) {
    return choose(path).file();
  }

  /** {@link #resolve}, saying which checkpoint it took and, when it fell back to the newest, why. */
  public Chosen choose(Path path) {
    if (!Files.isDirectory(path)) {
      return new Chosen(path, "the file given");
    }
    Path dir = Files.isDirectory(path.resolve("checkpoints")) ? path.resolve("checkpoints") : path;
    CheckpointStore store = new CheckpointStore(dir, Integer.MAX_VALUE);
    String which = "the latest";
    if (this == BEST) {
      var best = store.best();
      if (best.isPresent()) {
        return new Chosen(best.get().file(), "the best by in-run evaluation");
      }
      which = Files.exists(store.bestFile())
          ? "the latest: " + CheckpointStore.BEST_FILE + " does not read"
          : "the latest: no " + CheckpointStore.BEST_FILE + " (no in-run evaluation)";
    }
    Path file = store.latest().orElseThrow(() -> new IllegalArgumentException("no readable checkpoint in " + path))
        .file();
    return new Chosen(file, which);
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
