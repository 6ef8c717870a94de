package io.gancluster.core.data;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An immutable set of labelled single-channel 8-bit images (MNIST-like), kept as raw bytes so a
 * 60,000-image set costs 47 MB rather than 188 MB of floats; {@link #batch} converts on demand.
 */
public final class ImageSet {
  private final String name;
  private final int count;
  private final int rows;
  private final int cols;
  private final byte[] pixels; // count * rows * cols, row-major, unsigned
  private final byte[] labels; // count, unsigned
  private final int classCount;
  private volatile String checksum; // computed lazily: hashing 47 MB is not free

  /** Copies the arrays; {@code labels.length} is the image count. */
  public ImageSet(String name, int rows, int cols, byte[] pixels, byte[] labels) {
    this(name, rows, cols, pixels.clone(), labels.clone(), true);
  }

  // Takes ownership of the arrays (IdxFiles just allocated them); the flag only disambiguates.
  ImageSet(String name, int rows, int cols, byte[] pixels, byte[] labels, boolean owned) {
    this.name = Objects.requireNonNull(name, "name");
    if (rows <= 0 || cols <= 0) {
      throw new IllegalArgumentException(name + ": image size must be positive, got " + rows + "x" + cols);
    }
    if (labels.length == 0) {
      throw new IllegalArgumentException(name + ": an image set needs at least one image");
    }
    long expected = (long) labels.length * rows * cols;
    if (pixels.length != expected) {
      throw new IllegalArgumentException(name + ": " + labels.length + " images of " + rows + "x" + cols
          + " need " + expected + " pixel bytes, got " + pixels.length);
    }
    this.count = labels.length;
    this.rows = rows;
    this.cols = cols;
    this.pixels = pixels;
    this.labels = labels;
    int max = 0;
    for (byte b : labels) {
      max = Math.max(max, b & 0xff);
    }
    this.classCount = max + 1;
  }

  /** Same data under another name; shares the (immutable) arrays. */
  public ImageSet withName(String newName) {
    ImageSet renamed = new ImageSet(newName, rows, cols, pixels, labels, true);
    renamed.checksum = checksum;
    return renamed;
  }

  public String name() {
    return name;
  }

  public int count() {
    return count;
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  /** Number of classes, taken as the largest label + 1 (labels are assumed to be 0-based). */
  public int classCount() {
    return classCount;
  }

  public int label(int i) {
    return labels[Objects.checkIndex(i, count)] & 0xff;
  }

  public int[] labels(int[] indices) {
    int[] out = new int[indices.length];
    for (int k = 0; k < indices.length; k++) {
      out[k] = label(indices[k]);
    }
    return out;
  }

  /** One pixel, 0..255. */
  public int pixel(int image, int row, int col) {
    Objects.checkIndex(image, count);
    Objects.checkIndex(row, rows);
    Objects.checkIndex(col, cols);
    return pixels[(image * rows + row) * cols + col] & 0xff;
  }

  /** A copy of all pixels, row-major, image after image (the IDX payload). */
  public byte[] pixelBytes() {
    return pixels.clone();
  }

  /** A copy of all labels (the IDX payload). */
  public byte[] labelBytes() {
    return labels.clone();
  }

  /**
   * The selected images as a row-major [n, 1, rows, cols] float array scaled to [-1, 1]
   * (p / 127.5 - 1), the range a tanh generator produces.
   */
  public float[] batch(int[] indices) {
    int size = rows * cols;
    float[] out = new float[indices.length * size];
    for (int k = 0; k < indices.length; k++) {
      int from = Objects.checkIndex(indices[k], count) * size;
      int to = k * size;
      for (int p = 0; p < size; p++) {
        out[to + p] = (pixels[from + p] & 0xff) / 127.5f - 1f;
      }
    }
    return out;
  }

  /**
   * SHA-256 (hex) over count, rows, cols (big-endian int32 each), then the pixel bytes, then the
   * label bytes: identifies the content regardless of name or file compression, for cache keys.
   */
  public String checksum() {
    String c = checksum;
    if (c == null) {
      MessageDigest sha;
      try {
        sha = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JVM ships SHA-256", e);
      }
      sha.update(ByteBuffer.allocate(12).putInt(count).putInt(rows).putInt(cols).array());
      sha.update(pixels);
      sha.update(labels);
      c = HexFormat.of().formatHex(sha.digest());
      checksum = c;
    }
    return c;
  }

  @Override
  public String toString() {
    return name + " [" + count + " x " + rows + "x" + cols + ", " + classCount + " classes]";
  }
}
