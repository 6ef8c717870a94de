package io.gancluster.discriminator.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gancluster.core.model.recipe.Augmentation;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class AugmentationDrawTest {
  static AugmentationDraw draw(Augmentation a, int n, long seed) {
    return AugmentationDraw.draw(a, n, 28, 28, new SplittableRandom(seed));
  }

  @Test
  void backwardIsTheAdjointOfTheForwardMapsLinearPart() {
    // y = L(x) + b with L(x) = forward(x) − forward(0); the gradient map must satisfy ⟨L x, g⟩ = ⟨x, backward g⟩
    Nd4j.getRandom().setSeed(1);
    INDArray x = Nd4j.rand(DataType.DOUBLE, 16, 2, 28, 28).muli(2).subi(1);
    INDArray g = Nd4j.randn(DataType.DOUBLE, 16, 2, 28, 28);
    for (Augmentation a : new Augmentation[] {new Augmentation(4, 0), new Augmentation(0, 14), new Augmentation(4, 14)}) {
      AugmentationDraw d = draw(a, 16, 2);
      INDArray linear = d.forward(x).sub(d.forward(Nd4j.zeros(DataType.DOUBLE, 16, 2, 28, 28)));
      double left = linear.mul(g).sumNumber().doubleValue();
      double right = x.mul(d.backward(g)).sumNumber().doubleValue();
      assertThat(left).as(a.toString()).isCloseTo(right, within(1e-9 * Math.abs(right)));
    }
  }

  @Test
  void aTranslationMovesEachImageByAtMostTheShiftAndFillsWithBackground() {
    int n = 200;
    INDArray dots = Nd4j.valueArrayOf(new long[] {n, 1, 28, 28}, AugmentationDraw.BACKGROUND, DataType.DOUBLE);
    for (int i = 0; i < n; i++) {
      dots.putScalar(new long[] {i, 0, 14, 14}, 1.0);
    }
    INDArray y = draw(new Augmentation(3, 0), n, 4).forward(dots);
    boolean moved = false;
    for (int i = 0; i < n; i++) {
      INDArray img = y.slice(i).slice(0);
      assertThat(img.eq(1.0).castTo(DataType.INT).sumNumber().intValue()).isEqualTo(1);
      long at = img.reshape(784).argMax().getLong(0);
      int row = (int) (at / 28);
      int col = (int) (at % 28);
      assertThat(Math.abs(row - 14)).isLessThanOrEqualTo(3);
      assertThat(Math.abs(col - 14)).isLessThanOrEqualTo(3);
      moved |= row != 14 || col != 14;
    }
    assertThat(moved).isTrue();
    // all 7 × 7 shifts occur over 200 draws
    assertThat(y.eq(1.0).castTo(DataType.INT).sum(0, 1).gt(0).castTo(DataType.INT).sumNumber().intValue())
        .isEqualTo(49);
  }

  @Test
  void aCutoutBlanksOneClippedSquarePerImage() {
    int n = 100;
    INDArray white = Nd4j.ones(DataType.DOUBLE, n, 1, 28, 28);
    INDArray y = draw(new Augmentation(0, 14), n, 5).forward(white);
    for (int i = 0; i < n; i++) {
      int blank = y.slice(i).eq(AugmentationDraw.BACKGROUND).castTo(DataType.INT).sumNumber().intValue();
      // centre anywhere: from a 7 × 7 corner to the full 14 × 14 square
      assertThat(blank).isBetween(49, 196);
    }
  }

  @Test
  void noAugmentationLeavesImagesAlone() {
    INDArray x = Nd4j.rand(DataType.FLOAT, 3, 1, 28, 28);
    AugmentationDraw d = draw(Augmentation.NONE, 3, 6);
    assertThat(d.forward(x)).isEqualTo(x);
    assertThat(d.backward(x)).isEqualTo(x);
  }
}
