package io.gancluster.discriminator.augment;

import io.gancluster.core.model.recipe.Augmentation;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One draw of an {@link Augmentation} for a batch: a shift and a cutout square per image. As a map of
 * the pixels it is affine, y = M ⊙ T(x) + b (T shifts, M zeroes the cut-out square, b puts the
 * background into the pixels that lost their source), so the gradient with respect to x is the
 * adjoint T⊤(M ⊙ ∂L/∂y): what {@link #backward} computes. Images are [N, C, H, W] in [-1, 1].
 */
public final class AugmentationDraw {
  /** The value of an empty pixel: the black background of digits and garments in [-1, 1]. */
  public static final double BACKGROUND = -1;

  private final int[] dy;
  private final int[] dx;
  private final int[] cutTop;
  private final int[] cutLeft;
  private final int cutout;

  private AugmentationDraw(int[] dy, int[] dx, int[] cutTop, int[] cutLeft, int cutout) {
    this.dy = dy;
    this.dx = dx;
    this.cutTop = cutTop;
    this.cutLeft = cutLeft;
    this.cutout = cutout;
  }

  /** Draws shifts in [−maxShift, maxShift] and cutout centres anywhere in the image, for n images. */
  public static AugmentationDraw draw(Augmentation a, int n, int height, int width, SplittableRandom rng) {
    int[] dy = new int[n];
    int[] dx = new int[n];
    int[] top = new int[n];
    int[] left = new int[n];
    for (int i = 0; i < n; i++) {
      if (a.maxShift() > 0) {
        dy[i] = rng.nextInt(-a.maxShift(), a.maxShift() + 1);
        dx[i] = rng.nextInt(-a.maxShift(), a.maxShift() + 1);
      }
      if (a.cutout() > 0) {
        // the square's centre is uniform over the image; the square is clipped at the edges
        top[i] = rng.nextInt(height) - a.cutout() / 2;
        left[i] = rng.nextInt(width) - a.cutout() / 2;
      }
    }
    return new AugmentationDraw(dy, dx, top, left, a.cutout());
  }

  /** y = M ⊙ T(x) + b, a new array of x's shape and type. */
  public INDArray forward(INDArray x) {
    return map(x, true);
  }

  /** ∂L/∂x = T⊤(M ⊙ ∂L/∂y) for the images this draw augmented. */
  public INDArray backward(INDArray gradOut) {
    return map(gradOut, false);
  }

  private INDArray map(INDArray in, boolean forward) {
    long[] shape = in.shape();
    int n = (int) shape[0];
    int c = (int) shape[1];
    int h = (int) shape[2];
    int w = (int) shape[3];
    if (n != dy.length) {
      throw new IllegalArgumentException("drawn for " + dy.length + " images, given " + n);
    }
    double[] src = in.dup('c').data().asDouble();
    double[] dst = new double[src.length];
    int plane = h * w;
    for (int i = 0; i < n; i++) {
      for (int ch = 0; ch < c; ch++) {
        int base = (i * c + ch) * plane;
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            if (forward) {
              // the output pixel (y, x) shows source pixel (y − dy, x − dx), unless cut out or uncovered
              int sy = y - dy[i];
              int sx = x - dx[i];
              boolean covered = sy >= 0 && sy < h && sx >= 0 && sx < w;
              dst[base + y * w + x] = cut(i, y, x) || !covered ? BACKGROUND : src[base + sy * w + sx];
            } else {
              // the source pixel (y, x) reached output (y + dy, x + dx), where its gradient is, unless cut out
              int ty = y + dy[i];
              int tx = x + dx[i];
              boolean reached = ty >= 0 && ty < h && tx >= 0 && tx < w && !cut(i, ty, tx);
              dst[base + y * w + x] = reached ? src[base + ty * w + tx] : 0;
            }
          }
        }
      }
    }
    return Nd4j.create(dst, shape, 'c').castTo(in.dataType());
  }

  private boolean cut(int i, int y, int x) {
    return cutout > 0 && y >= cutTop[i] && y < cutTop[i] + cutout && x >= cutLeft[i] && x < cutLeft[i] + cutout;
  }
}
