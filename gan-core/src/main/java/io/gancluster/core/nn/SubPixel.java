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

  /**
   * The low-resolution taps a transposed convolution needs per output phase, or 0 when it has no
   * symmetric sub-pixel form: "same" padding, stride s, kernel k. Output pixel s·m + r reads input pixels
   * m + d for d in [dmin, dmax] (see {@link #transposedTaps}); the form is one "same" convolution when
   * dmin = −dmax, which holds for odd kernels at any stride and for even kernels at stride 2.
   */
  static int transposedReach(int kernel, int stride) {
    int pad = (kernel - stride) / 2; // "same" padding before, when the input size is a multiple of the stride
    if (kernel < stride || pad < 0) {
      return 0;
    }
    int dmin = Math.floorDiv(pad - kernel + 1 + stride - 1, stride); // ceil((pad − k + 1) / s)
    int dmax = Math.floorDiv(stride - 1 + pad, stride);
    return dmin == -dmax ? 2 * dmax + 1 : 0;
  }

  /**
   * Row-major [s·s·J·J, k·k] 0/1 matrix for {@link GraphBuilder#transposedConv2d}, J =
   * {@link #transposedReach}: row (a, b, jy, jx) for output phase (a, b) and input offset
   * (jy − J/2, jx − J/2), column (ty, tx) a tap of the kernel. The convolution y[o] = Σ_t x[s·o + t − p]·W[t]
   * sends x[s·m + r] the gradient Σ_d dy[m + d]·W[r + p − s·d], so tap t = r + p − s·d feeds phase r at
   * offset d; taps outside the kernel stay zero.
   */
  static double[] transposedTaps(int kernel, int stride) {
    int reach = transposedReach(kernel, stride);
    if (reach == 0) {
      throw new IllegalArgumentException("no sub-pixel form for kernel " + kernel + ", stride " + stride);
    }
    int pad = (kernel - stride) / 2;
    int half = reach / 2;
    int phases = stride * stride;
    double[] m = new double[phases * reach * reach * kernel * kernel];
    for (int a = 0; a < stride; a++) {
      for (int b = 0; b < stride; b++) {
        for (int jy = 0; jy < reach; jy++) {
          for (int jx = 0; jx < reach; jx++) {
            int ty = a + pad - stride * (jy - half);
            int tx = b + pad - stride * (jx - half);
            if (ty >= 0 && ty < kernel && tx >= 0 && tx < kernel) {
              int row = ((a * stride + b) * reach + jy) * reach + jx;
              m[row * kernel * kernel + ty * kernel + tx] = 1.0;
            }
          }
        }
      }
    }
    return m;
  }
}
