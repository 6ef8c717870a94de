package io.gancluster.core.image;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Generated pixel values in [-1, 1] as 8-bit gray levels, the one conversion every output format shares. */
public final class Pixels {
  private Pixels() {}

  /** round((v + 1) · 127.5), clamped to 0..255. */
  public static int gray(float v) {
    return Math.max(0, Math.min(255, Math.round((v + 1f) * 127.5f)));
  }

  /** Every value of {@code images}, in C order, as unsigned bytes. */
  public static byte[] bytes(INDArray images) {
    float[] px = images.dup('c').data().asFloat();
    byte[] out = new byte[px.length];
    for (int i = 0; i < px.length; i++) {
      out[i] = (byte) gray(px[i]);
    }
    return out;
  }
}
