package io.gancluster.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxFilesTest {
  @TempDir Path dir;

  private static byte[] pixels(int count, int rows, int cols) {
    byte[] p = new byte[count * rows * cols];
    for (int i = 0; i < p.length; i++) {
      p[i] = (byte) (i * 37 + 11);
    }
    return p;
  }

  private static byte[] idx(int magic, int[] dims, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload.length).putInt(magic);
    for (int d : dims) {
      b.putInt(d);
    }
    return b.put(payload).array();
  }

  private static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(raw);
    }
    return out.toByteArray();
  }

  private Path file(String name, byte[] content) throws IOException {
    return Files.write(dir.resolve(name), content);
  }

  private Path validLabels(int count) throws IOException {
    byte[] labels = new byte[count];
    for (int i = 0; i < count; i++) {
      labels[i] = (byte) (i % 3);
    }
    Path p = dir.resolve("ok-labels-idx1-ubyte");
    IdxFiles.writeLabels(p, labels);
    return p;
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".gz"})
  void roundTripsPlainAndGzipped(String suffix) throws IOException {
    byte[] px = pixels(5, 3, 4);
    byte[] labels = {0, 7, 2, (byte) 255, 1};
    Path images = dir.resolve("x-images-idx3-ubyte" + suffix);
    Path labelFile = dir.resolve("x-labels-idx1-ubyte" + suffix);
    IdxFiles.writeImages(images, 5, 3, 4, px);
    IdxFiles.writeLabels(labelFile, labels);

    byte[] head = Arrays.copyOf(Files.readAllBytes(images), 4);
    if (suffix.isEmpty()) {
      assertThat(head).containsExactly(0, 0, 8, 3);
      assertThat(Files.size(images)).isEqualTo(16 + px.length);
    } else {
      assertThat(head[0] & 0xff).isEqualTo(0x1f);
      assertThat(head[1] & 0xff).isEqualTo(0x8b);
    }

    ImageSet set = IdxFiles.read("rt", images, labelFile);
    assertThat(set.count()).isEqualTo(5);
    assertThat(set.rows()).isEqualTo(3);
    assertThat(set.cols()).isEqualTo(4);
    assertThat(set.pixelBytes()).isEqualTo(px);
    assertThat(set.labelBytes()).isEqualTo(labels);
    assertThat(set.label(3)).isEqualTo(255);
    assertThat(set.classCount()).isEqualTo(256);
    assertThat(set.pixel(1, 2, 3)).isEqualTo(px[12 + 2 * 4 + 3] & 0xff);
  }

  @Test
  void gzipIsDetectedByContentNotByName() throws IOException {
    Path images = file("gz-but-no-suffix-images", gzip(idx(0x803, new int[] {2, 2, 2}, pixels(2, 2, 2))));
    Path labels = file("plain-but-gz-suffix.gz", idx(0x801, new int[] {2}, new byte[] {1, 0}));
    ImageSet set = IdxFiles.read("mixed", images, labels);
    assertThat(set.count()).isEqualTo(2);
    assertThat(set.labels(new int[] {0, 1})).containsExactly(1, 0);
  }

  @Test
  void gzipOutputIsDeterministic() throws IOException {
    Path a = dir.resolve("a.gz");
    Path b = dir.resolve("b.gz");
    IdxFiles.writeLabels(a, new byte[] {1, 2, 3});
    IdxFiles.writeLabels(b, new byte[] {1, 2, 3});
    assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
  }

  @Test
  void writeWithMismatchedSizeIsRejected() {
    assertThatThrownBy(() -> IdxFiles.writeImages(dir.resolve("w"), 2, 28, 28, new byte[100]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1568 bytes, got 100");
  }

  @Test
  void truncatedImagesFileNamesFileAndByteCounts() throws IOException {
    byte[] full = idx(0x803, new int[] {60000, 28, 28}, new byte[1024]);
    Path images = file("train-images-idx3-ubyte", full);
    assertThatThrownBy(() -> IdxFiles.read("t", images, validLabels(60000)))
        .isInstanceOf(DataFileException.class)
        .hasMessage(images + ": header says 60000 images of 28x28 (47040000 bytes)"
            + " but the file holds 1024 bytes after the header");
  }

  @Test
  void truncatedHeaderIsReported() throws IOException {
    Path images = file("short-images", new byte[] {0, 0, 8, 3, 0, 0, 0, 1, 0});
    assertThatThrownBy(() -> IdxFiles.read("t", images, validLabels(1)))
        .isInstanceOf(DataFileException.class)
        .hasMessageStartingWith(images + ": truncated")
        .hasMessageContaining("3 dimensions");
  }

  @Test
  void trailingGarbageIsAnError() throws IOException {
    byte[] good = idx(0x803, new int[] {2, 2, 2}, pixels(2, 2, 2));
    Path images = file("garbage-images", Arrays.copyOf(good, good.length + 3));
    assertThatThrownBy(() -> IdxFiles.read("t", images, validLabels(2)))
        .isInstanceOf(DataFileException.class)
        .hasMessage(images + ": header says 2 images of 2x2 (8 bytes) but the file holds 11 bytes after the header");
  }

  @Test
  void labelsFileGivenAsImagesIsRejectedByMagic() throws IOException {
    Path labels = validLabels(4);
    assertThatThrownBy(() -> IdxFiles.read("t", labels, labels))
        .isInstanceOf(DataFileException.class)
        .hasMessage(labels + ": magic number 0x00000801 is not an IDX image file (expected 0x00000803)");
  }

  @Test
  void flippedMagicIsNotIdx() throws IOException {
    byte[] bytes = idx(0x803, new int[] {1, 2, 2}, new byte[4]);
    bytes[0] = (byte) 0xff;
    Path images = file("flipped-images", bytes);
    assertThatThrownBy(() -> IdxFiles.read("t", images, validLabels(1)))
        .isInstanceOf(DataFileException.class)
        .hasMessageStartingWith(images + ": not gzip and not IDX")
        .hasMessageContaining("0xff000803");
  }

  @Test
  void countMismatchNamesBothFiles() throws IOException {
    Path images = dir.resolve("n-images-idx3-ubyte.gz");
    IdxFiles.writeImages(images, 10, 2, 2, new byte[40]);
    Path labels = validLabels(9);
    assertThatThrownBy(() -> IdxFiles.read("t", images, labels))
        .isInstanceOf(DataFileException.class)
        .hasMessage(images + ": 10 images but " + labels + " holds 9 labels");
  }

  @Test
  void corruptGzipIsReported() throws IOException {
    byte[] gz = gzip(idx(0x803, new int[] {50, 8, 8}, pixels(50, 8, 8)));
    for (int i = 12; i < gz.length - 8; i++) {
      gz[i] ^= 0x5a; // scramble the deflate stream, keep the gzip header
    }
    Path images = file("corrupt-images.gz", gz);
    assertThatThrownBy(() -> IdxFiles.read("t", images, validLabels(50)))
        .isInstanceOf(DataFileException.class)
        .hasMessageStartingWith(images + ": ")
        .hasMessageContaining("gzip");
  }

  @Test
  void truncatedGzipIsReported() throws IOException {
    byte[] gz = gzip(idx(0x803, new int[] {50, 8, 8}, pixels(50, 8, 8)));
    Path images = file("cut-images.gz", Arrays.copyOf(gz, gz.length / 2));
    assertThatThrownBy(() -> IdxFiles.read("t", images, validLabels(50)))
        .isInstanceOf(DataFileException.class)
        .hasMessageStartingWith(images + ": corrupt or truncated gzip data");
  }

  @Test
  void hugeHeaderIsRefusedBeforeAllocating() throws IOException {
    Path images = file("huge-images", idx(0x803, new int[] {100000, 1000, 1000}, new byte[16]));
    assertThatThrownBy(() -> IdxFiles.read("t", images, validLabels(1)))
        .isInstanceOf(DataFileException.class)
        .hasMessageStartingWith(images + ": header says 100000 images of 1000x1000")
        .hasMessageContaining("more than a Java array can hold");
  }

  @Test
  void zeroAndNegativeDimensionsAreRejected() throws IOException {
    Path zero = file("zero-images", idx(0x803, new int[] {0, 28, 28}, new byte[0]));
    assertThatThrownBy(() -> IdxFiles.read("t", zero, validLabels(1)))
        .hasMessage(zero + ": header declares image count 0; it must be between 1 and 2147483647");
    Path negative = file("neg-images", idx(0x803, new int[] {1, -1, 28}, new byte[0]));
    assertThatThrownBy(() -> IdxFiles.read("t", negative, validLabels(1)))
        .hasMessageStartingWith(negative + ": header declares rows 4294967295");
  }

  @Test
  void emptyAndMissingFiles() throws IOException {
    Path empty = file("empty", new byte[0]);
    assertThatThrownBy(() -> IdxFiles.read("t", empty, validLabels(1)))
        .isInstanceOf(DataFileException.class)
        .hasMessage(empty + ": file is empty");
    Path missing = dir.resolve("nope-images");
    assertThatThrownBy(() -> IdxFiles.read("t", missing, validLabels(1)))
        .isInstanceOf(DataFileException.class)
        .hasMessage(missing + ": does not exist");
  }

  @Test
  void readsFromStreamsWithCustomDescriptions() {
    byte[] images = idx(0x803, new int[] {1, 1, 2}, new byte[] {0, (byte) 255});
    byte[] labels = idx(0x801, new int[] {1}, new byte[] {4});
    ImageSet set = IdxFiles.read("mem", () -> new ByteArrayInputStream(images),
        () -> new ByteArrayInputStream(labels), "mem:images", "mem:labels");
    assertThat(set.classCount()).isEqualTo(5);
    assertThat(set.batch(new int[] {0})).containsExactly(-1f, 1f);
    assertThatThrownBy(() -> IdxFiles.read("mem", () -> new ByteArrayInputStream(labels),
        () -> new ByteArrayInputStream(labels), "mem:images", "mem:labels"))
        .hasMessageStartingWith("mem:images: magic number 0x00000801");
  }
}
