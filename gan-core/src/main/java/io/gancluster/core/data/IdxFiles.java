package io.gancluster.core.data;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * Reads and writes MNIST's IDX format (unsigned-byte images of rank 3, labels of rank 1), plain
 * or gzipped. Reading trusts nothing: magic, dimensions, exact payload length and image/label
 * counts are all checked, and every failure is a {@link DataFileException} naming the file.
 */
public final class IdxFiles {
  /** IDX magic: two zero bytes, type 0x08 (unsigned byte), then the rank. */
  public static final int IMAGES_MAGIC = 0x00000803;

  public static final int LABELS_MAGIC = 0x00000801;

  /**
   * Largest payload accepted: the 2^31-1 of the brief less the 8 bytes JVMs reserve in array
   * headers, so an oversized header fails here instead of with an OutOfMemoryError.
   */
  public static final long MAX_BYTES = Integer.MAX_VALUE - 8L;

  /** Opens a fresh stream each call (a classpath resource, a file, a test byte array). */
  @FunctionalInterface
  public interface InputStreamSupplier {
    InputStream open() throws IOException;
  }

  private IdxFiles() {}

  public static ImageSet read(String name, Path images, Path labels) {
    return read(name, () -> Files.newInputStream(images), () -> Files.newInputStream(labels),
        images.toString(), labels.toString());
  }

  /**
   * @param imagesDesc / labelsDesc how the two sources are named in error messages (a path, or
   *     "classpath:/datasets/mnist/...")
   */
  public static ImageSet read(String name, InputStreamSupplier images, InputStreamSupplier labels,
      String imagesDesc, String labelsDesc) {
    Payload img = readPayload(images, imagesDesc, IMAGES_MAGIC);
    Payload lab = readPayload(labels, labelsDesc, LABELS_MAGIC);
    if (img.dims[0] != lab.dims[0]) {
      throw new DataFileException(imagesDesc,
          img.dims[0] + " images but " + labelsDesc + " holds " + lab.dims[0] + " labels");
    }
    return new ImageSet(name, img.dims[1], img.dims[2], img.bytes, lab.bytes, true);
  }

  /** Writes an images file; gzipped when the name ends in ".gz" (with a zero gzip mtime). */
  public static void writeImages(Path file, int count, int rows, int cols, byte[] pixels)
      throws IOException {
    if (count < 0 || rows <= 0 || cols <= 0 || pixels.length != (long) count * rows * cols) {
      throw new IllegalArgumentException("cannot write " + file + ": " + count + " images of " + rows
          + "x" + cols + " need " + ((long) count * rows * cols) + " bytes, got " + pixels.length);
    }
    write(file, pixels, IMAGES_MAGIC, count, rows, cols);
  }

  /** Writes a labels file; gzipped when the name ends in ".gz". */
  public static void writeLabels(Path file, byte[] labels) throws IOException {
    write(file, labels, LABELS_MAGIC, labels.length);
  }

  /** Writes both files of a set (e.g. generated samples for offline evaluation). */
  public static void write(ImageSet set, Path images, Path labels) throws IOException {
    writeImages(images, set.count(), set.rows(), set.cols(), set.pixelBytes());
    writeLabels(labels, set.labelBytes());
  }

  private static void write(Path file, byte[] payload, int magic, int... dims) throws IOException {
    boolean gzip = file.getFileName().toString().endsWith(".gz");
    try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file));
        OutputStream body = gzip ? new GZIPOutputStream(raw, 1 << 16) : raw;
        DataOutputStream out = new DataOutputStream(body)) {
      out.writeInt(magic); // DataOutputStream is big-endian, as IDX requires
      for (int d : dims) {
        out.writeInt(d);
      }
      out.write(payload);
    }
  }

  private record Payload(int[] dims, byte[] bytes) {}

  private static Payload readPayload(InputStreamSupplier source, String desc, int expectedMagic) {
    boolean gzip = false;
    try (InputStream opened = source.open()) {
      if (opened == null) {
        throw new DataFileException(desc, "does not exist");
      }
      BufferedInputStream buffered = new BufferedInputStream(opened, 1 << 16);
      buffered.mark(2);
      int b0 = buffered.read();
      int b1 = buffered.read();
      buffered.reset();
      if (b0 < 0) {
        throw new DataFileException(desc, "file is empty");
      }
      // Detect gzip by its magic bytes, not by the name: MNIST mirrors ship both forms.
      gzip = b0 == 0x1f && b1 == 0x8b;
      InputStream in = gzip ? new GZIPInputStream(buffered, 1 << 16) : buffered;
      return parse(in, desc, expectedMagic, gzip);
    } catch (NoSuchFileException e) {
      throw new DataFileException(desc, "does not exist", e);
    } catch (ZipException | EOFException e) {
      // EOFException only escapes from GZIPInputStream: parse() reads with readNBytes.
      throw new DataFileException(desc, "corrupt or truncated gzip data (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new DataFileException(desc, "cannot be read (" + e + ")", e);
    }
  }

  private static Payload parse(InputStream in, String desc, int expectedMagic, boolean gzip)
      throws IOException {
    String holds = gzip ? "the file holds (decompressed) " : "the file holds ";
    byte[] magicBytes = in.readNBytes(4);
    if (magicBytes.length < 4) {
      throw new DataFileException(desc, "truncated: " + magicBytes.length + " bytes, too short for an IDX header");
    }
    int magic = ByteBuffer.wrap(magicBytes).getInt();
    if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xff) == 0) {
      throw new DataFileException(desc, (gzip ? "gzip content is not IDX" : "not gzip and not IDX")
          + String.format(" (starts with 0x%08x, expected 0x%08x)", magic, expectedMagic));
    }
    if (magic != expectedMagic) {
      throw new DataFileException(desc, String.format("magic number 0x%08x is not an IDX %s file (expected 0x%08x)",
          magic, expectedMagic == IMAGES_MAGIC ? "image" : "label", expectedMagic));
    }
    int rank = magic & 0xff;
    byte[] dimBytes = in.readNBytes(4 * rank);
    if (dimBytes.length < 4 * rank) {
      throw new DataFileException(desc, "truncated: the header declares " + rank + " dimensions but "
          + holds + (4 + dimBytes.length) + " header bytes");
    }
    ByteBuffer dimBuf = ByteBuffer.wrap(dimBytes);
    String[] dimNames = rank == 3 ? new String[] {"image count", "rows", "cols"} : new String[] {"label count"};
    int[] dims = new int[rank];
    long total = 1;
    for (int i = 0; i < rank; i++) {
      dims[i] = dimBuf.getInt();
      // an empty data set is useless, and a zero-sized image is not an image
      if (dims[i] <= 0) {
        throw new DataFileException(desc, "header declares " + dimNames[i] + " "
            + Integer.toUnsignedString(dims[i]) + "; it must be between 1 and " + Integer.MAX_VALUE);
      }
      // total stays <= MAX_BYTES before each multiply, so the product fits in a long
      total = Math.min(total * dims[i], MAX_BYTES + 1);
    }
    String size = total <= MAX_BYTES ? total + " bytes" : "more than " + MAX_BYTES + " bytes";
    String declared = rank == 3
        ? "header says " + dims[0] + " images of " + dims[1] + "x" + dims[2] + " (" + size + ")"
        : "header says " + dims[0] + " labels (" + size + ")";
    if (total > MAX_BYTES) {
      throw new DataFileException(desc, declared + ", more than a Java array can hold");
    }
    // readNBytes grows its buffer as data arrives, so a lying header cannot force a huge allocation
    byte[] bytes = in.readNBytes((int) total);
    long after = bytes.length;
    if (after == total) {
      after += in.transferTo(OutputStream.nullOutputStream()); // trailing garbage?
    }
    if (after != total) {
      throw new DataFileException(desc, declared + " but " + holds + after + " bytes after the header");
    }
    return new Payload(dims, bytes);
  }
}
