package io.gancluster.core.nn;

/**
 * The fixed linear map behind {@link GraphBuilder#upsampleConv2d}: which taps of a k×k kernel, applied
 * after nearest-neighbour upsampling by 2 with "same" padding, land on which tap of the low-resolution
 * kernel for each output phase.
 */
final class SubPixel {
  private SubPixel() {}

  /**
   * Row-major [4·s·s, k·k] 0/1 matrix, s = 2·reach + 1: row (a, b, dy, dx) for output phase (a, b) and
   * low-resolution offset (dy − reach, dx − reach), column (ty, tx) a tap of the original kernel. Output
   * pixel 2p + a reads upsampled pixel 2p + a + t − pad, which is low-resolution pixel
   * p + floor((a + t − pad) / 2); zero padding maps to zero padding at both resolutions.
   */
  static double[] phaseTaps(int kernel) {
    int pad = (kernel - 1) / 2;
    int reach = (pad + 1) / 2;
    int s = 2 * reach + 1;
    double[] m = new double[4 * s * s * kernel * kernel];
    for (int a = 0; a < 2; a++) {
      for (int b = 0; b < 2; b++) {
        for (int ty = 0; ty < kernel; ty++) {
          for (int tx = 0; tx < kernel; tx++) {
            int dy = Math.floorDiv(a + ty - pad, 2) + reach;
            int dx = Math.floorDiv(b + tx - pad, 2) + reach;
            int row = ((a * 2 + b) * s + dy) * s + dx;
            m[row * kernel * kernel + ty * kernel + tx] = 1.0;
          }
        }
      }
    }
    return m;
  }
}
