package io.gancluster.core.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Tiles grayscale images [N, 1, H, W] with pixels in [-1, 1] into one PNG, row by row. */
public final class ImageGrid {
  private static final int PAD = 2;

  private ImageGrid() {}

  public static byte[] png(INDArray images, int columns, int scale) {
    long[] s = images.shape();
    if (s.length != 4 || s[1] != 1) {
      throw new IllegalArgumentException("expected images [N, 1, H, W], got " + java.util.Arrays.toString(s));
    }
    int n = (int) s[0];
    int h = (int) s[2];
    int w = (int) s[3];
    int cols = Math.max(1, Math.min(columns, n));
    int rows = (n + cols - 1) / cols;
    int cell = PAD + w * scale;
    BufferedImage img = new BufferedImage(PAD + cols * cell, PAD + rows * (PAD + h * scale), BufferedImage.TYPE_BYTE_GRAY);
    float[] px = images.dup('c').data().asFloat();
    for (int i = 0; i < n; i++) {
      int x0 = PAD + (i % cols) * cell;
      int y0 = PAD + (i / cols) * (PAD + h * scale);
      for (int y = 0; y < h * scale; y++) {
        for (int x = 0; x < w * scale; x++) {
          float v = px[i * h * w + (y / scale) * w + x / scale];
          img.getRaster().setSample(x0 + x, y0 + y, 0, Pixels.gray(v));
        }
      }
    }
    return encodePng(img);
  }

  /**
   * PNG bytes of {@code img}, encoded through an in-memory stream. {@code ImageIO.write} to a plain OutputStream
   * would buffer through a temp file whose first use registers a JVM shutdown hook, which throws "Shutdown in
   * progress" when the first image of a process is written during Ctrl-C (the final sample grid of a stopped run).
   */
  public static byte[] encodePng(BufferedImage img) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
      if (!ImageIO.write(img, "png", ios)) {
        throw new IllegalStateException("no PNG writer for image type " + img.getType());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A near-square grid: ceil(sqrt(n)) columns. */
  public static byte[] png(INDArray images) {
    int n = (int) images.size(0);
    return png(images, (int) Math.ceil(Math.sqrt(n)), 2);
  }
}
