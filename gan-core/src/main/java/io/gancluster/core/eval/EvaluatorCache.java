package io.gancluster.core.eval;

import io.gancluster.core.data.ImageSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Trains an evaluator once per training set and keeps it in a cache folder, keyed by the model
 * version and the training data's checksum, so every run and every {@code gan eval} on the same data
 * shares one judge. A cached file that does not load is retrained and replaced, never trusted.
 */
public final class EvaluatorCache {
  public static final long SEED = 20261123L;
  /** About this many images of training: 3 epochs of the bundled 9,000 digits, 1 of a 60,000 set. */
  static final int TRAINING_IMAGES = 25_000;

  private EvaluatorCache() {}

  /** The default cache: $GAN_CACHE_DIR, else $XDG_CACHE_HOME/gan-cluster, else ~/.cache/gan-cluster. */
  public static Path defaultDirectory() {
    String own = System.getenv("GAN_CACHE_DIR");
    if (own != null && !own.isBlank()) {
      return Path.of(own);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("gan-cluster");
  }

  public static Path fileFor(ImageSet train, Path dir) {
    return dir.resolve(EvaluatorClassifier.MODEL + "-" + train.checksum().substring(0, 16) + ".zip");
  }

  /** Steps of evaluator training, for a progress bar. */
  @FunctionalInterface
  public interface Progress {
    void step(long done, long total);
  }

  /** The evaluator for {@code train} (from the cache, or trained now and cached), measured on {@code test}. */
  public static Evaluator load(ImageSet train, ImageSet test, String dataName, Path dir, Consumer<String> log) {
    return load(train, test, dataName, dir, log, (done, total) -> {});
  }

  public static Evaluator load(ImageSet train, ImageSet test, String dataName, Path dir, Consumer<String> log,
      Progress progress) {
    int classes = Math.max(train.classCount(), test.classCount());
    EvaluatorClassifier classifier = new EvaluatorClassifier(classes, SEED);
    Path file = fileFor(train, dir);
    boolean loaded = false;
    if (Files.isRegularFile(file)) {
      try {
        classifier.importState(Files.readAllBytes(file));
        loaded = true;
        log.accept("evaluator from cache " + file);
      } catch (IOException | RuntimeException e) {
        log.accept("cached evaluator " + file + " is unusable (" + e.getMessage() + "); training a new one");
        classifier = new EvaluatorClassifier(classes, SEED);
      }
    }
    if (!loaded) {
      train(classifier, train, log, progress);
      write(file, classifier.exportState());
      log.accept("evaluator cached in " + file);
    }
    return new Evaluator(classifier, train, test, dataName);
  }

  static void train(EvaluatorClassifier classifier, ImageSet train, Consumer<String> log, Progress progress) {
    int epochs = Math.max(1, Math.min(5, (int) Math.ceil(TRAINING_IMAGES / (double) train.count())));
    long total = (long) epochs * (train.count() / 64);
    long started = System.nanoTime();
    log.accept(String.format(Locale.ROOT, "training the evaluator classifier on %d images of %s, %d epoch(s), %d steps",
        train.count(), train.name(), epochs, total));
    classifier.train(train, epochs, SEED, step -> {
      progress.step(step, total);
      if (step % Math.max(1, total / 10) == 0 || step == total) {
        double s = (System.nanoTime() - started) / 1e9;
        log.accept(String.format(Locale.ROOT, "  evaluator step %d/%d (%.0f s, ETA %.0f s)", step, total, s,
            s / step * (total - step)));
      }
    });
  }

  /** Temp file in the same folder, then an atomic rename: a reader never sees half a file. */
  static void write(Path file, byte[] bytes) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
      try {
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the evaluator cache " + file, e);
    }
  }
}
