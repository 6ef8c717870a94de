package io.gancluster.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageSetTest {
  private static ImageSet tiny() {
    // two 2x2 images: [0, 255, 51, 204] and [255, 0, 0, 255]
    byte[] px = {0, (byte) 255, 51, (byte) 204, (byte) 255, 0, 0, (byte) 255};
    return new ImageSet("tiny", 2, 2, px, new byte[] {3, 1});
  }

  @Test
  void batchIsRowMajorAndScaledToPlusMinusOne() {
    float[] b = tiny().batch(new int[] {1, 0});
    assertThat(b).hasSize(8);
    assertThat(b).containsExactly(1f, -1f, -1f, 1f, -1f, 1f, 51 / 127.5f - 1, 204 / 127.5f - 1);
  }

  @Test
  void labelsAndClassCount() {
    ImageSet s = tiny();
    assertThat(s.labels(new int[] {1, 0, 1})).containsExactly(1, 3, 1);
    assertThat(s.classCount()).isEqualTo(4);
    assertThat(s.count()).isEqualTo(2);
    assertThatThrownBy(() -> s.batch(new int[] {2})).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void constructorCopiesAndChecksumTracksContentNotName() {
    byte[] px = {1, 2, 3, 4};
    byte[] labels = {0};
    ImageSet a = new ImageSet("a", 2, 2, px, labels);
    String before = a.checksum();
    px[0] = 99; // must not leak into the set
    assertThat(a.pixel(0, 0, 0)).isEqualTo(1);
    assertThat(a.checksum()).isEqualTo(before).hasSize(64);
    assertThat(a.withName("b").checksum()).isEqualTo(before);
    assertThat(new ImageSet("c", 1, 4, new byte[] {1, 2, 3, 4}, labels).checksum())
        .as("same bytes, other shape")
        .isNotEqualTo(before);
    assertThat(new ImageSet("d", 2, 2, new byte[] {1, 2, 3, 5}, labels).checksum()).isNotEqualTo(before);
  }

  @Test
  void rejectsInconsistentArrays() {
    assertThatThrownBy(() -> new ImageSet("bad", 2, 2, new byte[7], new byte[2]))
        .hasMessageContaining("need 8 pixel bytes, got 7");
    assertThatThrownBy(() -> new ImageSet("empty", 2, 2, new byte[0], new byte[0]))
        .hasMessageContaining("at least one image");
  }
}
