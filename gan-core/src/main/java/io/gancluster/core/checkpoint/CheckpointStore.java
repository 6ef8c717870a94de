package io.gancluster.core.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints in a run folder as {@code checkpoint-STEP.zip}. Writes are atomic (temp file, fsync,
 * rename, fsync of the folder), so a crash leaves either the old or the new file, never half of one;
 * the newest {@link #keep} are kept. Beside them a run may keep {@value #BEST_FILE}, the checkpoint its
 * in-run evaluation scored best: written the same atomic way, replaced only by a better one, never pruned.
 * Reads check the format version and every entry (zip CRCs catch flipped bytes and truncation).
 */
public final class CheckpointStore {
  public static final int FORMAT_VERSION = 1;
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
  private static final Pattern NAME = Pattern.compile("checkpoint-(\\d+)\\.zip");
  /** The best checkpoint's file name in the checkpoints folder. */
  public static final String BEST_FILE = "best.zip";

  private final Path dir;
  private final int keep;

  public CheckpointStore(Path dir, int keep) {
    this.dir = dir;
    this.keep = Math.max(1, keep);
  }

  public Path directory() {
    return dir;
  }

  public Path write(Checkpoint c) {
    Path target = writeAtomically(dir.resolve(String.format("checkpoint-%09d.zip", c.step())), c);
    prune();
    return target;
  }

  /** Writes {@code c} as {@value #BEST_FILE}, atomically replacing the previous best; nothing is pruned. */
  public Path writeBest(Checkpoint c) {
    return writeAtomically(bestFile(), c);
  }

  /** Where the best checkpoint is (or would be) kept. */
  public Path bestFile() {
    return dir.resolve(BEST_FILE);
  }

  /** The best checkpoint, if there is one and it reads; an unreadable one is reported and ignored. */
  public Optional<Loaded> best() {
    Path file = bestFile();
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Loaded(file, read(file)));
    } catch (CheckpointException e) {
      LOG.warn("ignoring unusable best checkpoint: {}", e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * The model version of a checkpoint file under a run folder {@code run}: {@code run/checkpoint-000001600} for a
   * numbered one; {@code run/best-000001540} for {@value #BEST_FILE} holding step 1540, so a replaced best is a
   * new version.
   */
  public static String version(String run, Path file, long step) {
    return run + "/" + versionName(file, step);
  }

  /** {@link #version} without the run folder: {@code checkpoint-000001600}, {@code best-000001540}. */
  public static String versionName(Path file, long step) {
    String name = file.getFileName().toString();
    if (name.equals(BEST_FILE)) {
      return String.format("best-%09d", step);
    }
    return name.endsWith(".zip") ? name.substring(0, name.length() - 4) : name;
  }

  private Path writeAtomically(Path target, Checkpoint c) {
    Path tmp = dir.resolve("." + target.getFileName() + ".tmp");
    try {
      Files.createDirectories(dir);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        try (OutputStream out = java.nio.channels.Channels.newOutputStream(ch);
            ZipOutputStream zip = new ZipOutputStream(out)) {
          Properties meta = new Properties();
          meta.setProperty("format", Integer.toString(FORMAT_VERSION));
          meta.setProperty("step", Long.toString(c.step()));
          meta.setProperty("epoch", Integer.toString(c.epoch()));
          meta.setProperty("seed", Long.toString(c.seed()));
          entry(zip, "checkpoint.properties", props(meta));
          Properties cfg = new Properties();
          cfg.putAll(c.config());
          entry(zip, "config.properties", props(cfg));
          entry(zip, "generator.state", c.generatorState());
          entry(zip, "discriminator.state", c.discriminatorState());
          zip.finish();
          ch.force(true);
        }
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      syncDirectory();
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the temp file is ours and harmless; the error below matters more
      }
      throw new CheckpointException("cannot write checkpoint " + target + ": " + e, e);
    }
    return target;
  }

  /** The newest checkpoint that reads; corrupt newer ones are reported and skipped. */
  public Optional<Loaded> latest() {
    for (Path p : listNewestFirst()) {
      try {
        return Optional.of(new Loaded(p, read(p)));
      } catch (CheckpointException e) {
        LOG.warn("skipping unusable checkpoint: {}", e.getMessage());
      }
    }
    return Optional.empty();
  }

  public static Checkpoint read(Path file) {
    return read(file.toString(), () -> Files.newInputStream(file));
  }

  /** A checkpoint received as bytes (e.g. streamed from the trainer); {@code name} goes into errors. */
  public static Checkpoint read(String name, byte[] bytes) {
    return read(name, () -> new java.io.ByteArrayInputStream(bytes));
  }

  private interface Source {
    InputStream open() throws IOException;
  }

  private static Checkpoint read(String file, Source source) {
    Map<String, byte[]> entries = new HashMap<>();
    try (InputStream in = source.open(); ZipInputStream zip = new ZipInputStream(in)) {
      ZipEntry e;
      while ((e = zip.getNextEntry()) != null) {
        entries.put(e.getName(), zip.readAllBytes());
      }
    } catch (IOException | RuntimeException e) {
      throw new CheckpointException(file + ": not a readable checkpoint (" + e.getMessage() + ")", e);
    }
    for (String required : List.of("checkpoint.properties", "config.properties", "generator.state", "discriminator.state")) {
      if (!entries.containsKey(required)) {
        throw new CheckpointException(file + ": truncated or not a checkpoint (missing " + required + ")");
      }
    }
    Properties meta = load(entries.get("checkpoint.properties"));
    if (!Integer.toString(FORMAT_VERSION).equals(meta.getProperty("format"))) {
      throw new CheckpointException(file + ": format version " + meta.getProperty("format")
          + " is not supported (this build reads version " + FORMAT_VERSION + ")");
    }
    Properties cfg = load(entries.get("config.properties"));
    Map<String, String> config = new HashMap<>();
    cfg.stringPropertyNames().forEach(k -> config.put(k, cfg.getProperty(k)));
    try {
      return new Checkpoint(Long.parseLong(meta.getProperty("step")), Integer.parseInt(meta.getProperty("epoch")),
          Long.parseLong(meta.getProperty("seed")), config, entries.get("generator.state"),
          entries.get("discriminator.state"));
    } catch (NumberFormatException e) {
      throw new CheckpointException(file + ": bad step/epoch/seed in checkpoint.properties", e);
    }
  }

  public List<Path> listNewestFirst() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).forEach(files::add);
    } catch (IOException e) {
      throw new CheckpointException("cannot list " + dir + ": " + e, e);
    }
    files.sort((a, b) -> Long.compare(stepOf(b), stepOf(a)));
    return files;
  }

  private void prune() {
    List<Path> files = listNewestFirst();
    for (int i = keep; i < files.size(); i++) {
      try {
        Files.deleteIfExists(files.get(i));
      } catch (IOException e) {
        LOG.warn("cannot delete old checkpoint {}: {}", files.get(i), e.toString());
      }
    }
  }

  private void syncDirectory() {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // some file systems cannot open a directory for sync; the rename itself was atomic
    }
  }

  private static long stepOf(Path p) {
    Matcher m = NAME.matcher(p.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  private static void entry(ZipOutputStream zip, String name, byte[] data) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(data);
    zip.closeEntry();
  }

  private static byte[] props(Properties p) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    p.store(b, null);
    return b.toByteArray();
  }

  private static Properties load(byte[] bytes) {
    Properties p = new Properties();
    try {
      p.load(new java.io.ByteArrayInputStream(bytes));
    } catch (IOException e) {
      throw new CheckpointException("bad properties", e);
    }
    return p;
  }

  /** A checkpoint and the file it came from. */
  public record Loaded(Path file, Checkpoint checkpoint) {}
}
