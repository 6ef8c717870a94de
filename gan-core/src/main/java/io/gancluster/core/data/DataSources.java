package io.gancluster.core.data;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * Turns a {@code --data} spec into an {@link ImageSet}:
 *
 * <ul>
 *   <li>{@code mnist} / {@code mnist-test}: the 9,000 / 1,000 real MNIST digits bundled on the
 *       classpath (data/mnist, see its README), so training works offline with no setup;
 *   <li>{@code fashion} / {@code fashion-test}: Fashion-MNIST from Debian's
 *       {@code dataset-fashion-mnist} package (60,000 / 10,000 images);
 *   <li>anything else: a path, either a directory holding MNIST-named train files or an images
 *       file whose labels file sits beside it.
 * </ul>
 */
public final class DataSources {
  /** Where Debian's dataset-fashion-mnist installs its files. */
  public static final Path DEFAULT_FASHION_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  /** System property overriding {@link #DEFAULT_FASHION_DIR} (tests, non-Debian installs). */
  public static final String FASHION_DIR_PROPERTY = "gan.fashion.dir";

  static final String BUNDLED_DIR = "/datasets/mnist/";

  private static final String ACCEPTED = "--data accepts: mnist | mnist-test (bundled MNIST digits), "
      + "fashion | fashion-test (Debian package dataset-fashion-mnist), "
      + "a directory holding train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz], "
      + "or an images file named *images-idx3-ubyte[.gz] with its *labels-idx1-ubyte[.gz] beside it";

  private DataSources() {}

  /** Fashion-MNIST's ten classes, in label order (Xiao et al. 2017). */
  public static final java.util.List<String> FASHION_LABELS = java.util.List.of("T-shirt/top", "Trouser", "Pullover",
      "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

  /** The names of a data set's classes: the garments for Fashion-MNIST, the label numbers otherwise. */
  public static java.util.List<String> labelNames(String spec, int classes) {
    if ((spec.equals("fashion") || spec.equals("fashion-test")) && classes <= FASHION_LABELS.size()) {
      return FASHION_LABELS.subList(0, classes);
    }
    return java.util.stream.IntStream.range(0, classes).mapToObj(Integer::toString).toList();
  }

  /** Loads {@code spec}, looking for Fashion-MNIST in {@link #fashionDir()}. */
  public static ImageSet load(String spec) {
    return load(spec, fashionDir());
  }

  public static ImageSet load(String spec, Path fashionDir) {
    if (spec == null || spec.isBlank()) {
      throw new DataFileException("(empty --data)", "no data set given; " + ACCEPTED);
    }
    return switch (spec) {
      case "mnist" -> bundled("train", "train");
      case "mnist-test" -> bundled("t10k", "test");
      case "fashion" -> fashion(fashionDir, "train", "train");
      case "fashion-test" -> fashion(fashionDir, "t10k", "test");
      default -> fromPath(spec);
    };
  }

  /**
   * The held-out split that belongs to a training spec: {@code mnist-test}, {@code fashion-test}, a
   * folder's {@code t10k-images-idx3-ubyte[.gz]}, or a train images file's t10k sibling.
   *
   * @throws DataFileException when there is none to find
   */
  public static String testSplitOf(String spec) {
    switch (spec) {
      case "mnist", "mnist-test":
        return "mnist-test";
      case "fashion", "fashion-test":
        return "fashion-test";
      default:
        break;
    }
    Path path = Path.of(spec);
    if (Files.isDirectory(path)) {
      Path images = existing(path, "t10k-images-idx3-ubyte");
      if (images != null) {
        return images.toString();
      }
    } else {
      String name = path.getFileName().toString();
      if (name.contains("train-images")) {
        Path sibling = path.resolveSibling(name.replace("train-images", "t10k-images"));
        if (Files.exists(sibling)) {
          return sibling.toString();
        }
      }
    }
    throw new DataFileException(spec, "no test split found beside it (t10k-images-idx3-ubyte[.gz] with its labels); "
        + "name one with --test-data");
  }

  /** The Fashion-MNIST directory: {@value #FASHION_DIR_PROPERTY} if set, else the Debian one. */
  public static Path fashionDir() {
    String dir = System.getProperty(FASHION_DIR_PROPERTY);
    return dir == null || dir.isBlank() ? DEFAULT_FASHION_DIR : Path.of(dir);
  }

  private static ImageSet bundled(String prefix, String split) {
    String images = BUNDLED_DIR + prefix + "-images-idx3-ubyte.gz";
    String labels = BUNDLED_DIR + prefix + "-labels-idx1-ubyte.gz";
    for (String r : List.of(images, labels)) {
      if (DataSources.class.getResource(r) == null) {
        // only happens when gan-core was built without ../data/mnist (see gan-core/pom.xml)
        throw new DataFileException("classpath:" + r,
            "bundled MNIST resource is missing from the classpath; rebuild gan-core with data/mnist present");
      }
    }
    ImageSet set = IdxFiles.read("mnist", () -> open(images), () -> open(labels),
        "classpath:" + images, "classpath:" + labels);
    return set.withName("mnist (bundled, " + set.count() + " " + split + ")");
  }

  private static InputStream open(String resource) {
    return DataSources.class.getResourceAsStream(resource);
  }

  private static ImageSet fashion(Path dir, String prefix, String split) {
    Path images = existing(dir, prefix + "-images-idx3-ubyte");
    Path labels = existing(dir, prefix + "-labels-idx1-ubyte");
    if (images == null || labels == null) {
      throw new DataFileException(dir.toString(), "Fashion-MNIST is not installed (no "
          + (images == null ? prefix + "-images-idx3-ubyte[.gz]" : prefix + "-labels-idx1-ubyte[.gz]")
          + " here). Install it with: sudo apt-get install dataset-fashion-mnist"
          + " (or set -D" + FASHION_DIR_PROPERTY + "=DIR); --data mnist uses the bundled MNIST digits instead");
    }
    ImageSet set = IdxFiles.read("fashion-mnist", images, labels);
    // the folder in the name: the trainer's "data:" line shows whether -Dgan.fashion.dir took effect
    return set.withName("fashion-mnist (" + set.count() + " " + split + ", " + dir + ")");
  }

  private static ImageSet fromPath(String spec) {
    Path path;
    try {
      path = Path.of(spec);
    } catch (InvalidPathException e) {
      throw new DataFileException(spec, "not a valid path (" + e.getReason() + "); " + ACCEPTED, e);
    }
    if (Files.isDirectory(path)) {
      return fromDirectory(path);
    }
    if (!Files.exists(path)) {
      throw new DataFileException(spec, "no such file or directory; " + ACCEPTED);
    }
    Path labels = labelsBeside(path);
    return IdxFiles.read(path.toString(), path, labels);
  }

  private static ImageSet fromDirectory(Path dir) {
    // MNIST's own names, and the "train-images.idx3-ubyte" spelling some unzip tools produce
    Path images = existing(dir, "train-images-idx3-ubyte");
    Path labels = existing(dir, "train-labels-idx1-ubyte");
    if (images == null || labels == null) {
      images = existing(dir, "train-images.idx3-ubyte");
      labels = existing(dir, "train-labels.idx1-ubyte");
    }
    if (images == null || labels == null) {
      throw new DataFileException(dir.toString(), "directory holds no train-images-idx3-ubyte[.gz]"
          + " + train-labels-idx1-ubyte[.gz] pair; " + ACCEPTED);
    }
    return IdxFiles.read(dir.toString(), images, labels);
  }

  /** The labels file that belongs to an images file, by MNIST's naming convention. */
  private static Path labelsBeside(Path images) {
    String name = images.getFileName().toString();
    String base = null;
    for (String[] pair : new String[][] {{"images-idx3", "labels-idx1"}, {"images.idx3", "labels.idx1"}}) {
      if (name.contains(pair[0])) {
        base = name.replace(pair[0], pair[1]);
        break;
      }
    }
    if (base == null) {
      throw new DataFileException(images.toString(), "cannot find its labels file: the name should contain"
          + " 'images-idx3' so that 'labels-idx1' names the labels file beside it; " + ACCEPTED);
    }
    // the exact counterpart first, then the other compression (images .gz beside plain labels)
    String other = base.endsWith(".gz") ? base.substring(0, base.length() - 3) : base + ".gz";
    for (String candidate : List.of(base, other)) {
      Path labels = images.resolveSibling(candidate);
      if (Files.isRegularFile(labels)) {
        return labels;
      }
    }
    throw new DataFileException(images.toString(), "its labels file " + images.resolveSibling(base)
        + " (or " + other + ") does not exist");
  }

  /** {@code dir/name.gz} or {@code dir/name}, whichever is a regular file (gz first), else null. */
  private static Path existing(Path dir, String name) {
    for (Path p : List.of(dir.resolve(name + ".gz"), dir.resolve(name))) {
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }
}
