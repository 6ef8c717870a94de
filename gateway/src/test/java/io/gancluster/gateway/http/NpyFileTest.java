package io.gancluster.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NpyFileTest {
  @Test
  void theHeaderIsNumpysDictPaddedWithSpacesToA64ByteBoundaryAndEndsInANewline() {
    byte[] data = new byte[2 * 3 * 4];
    byte[] npy = NpyFile.float32(new long[] {2, 3}, data);

    assertThat(Arrays.copyOf(npy, 8)).containsExactly(0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0);
    assertThat(npy[8] & 0xff | (npy[9] & 0xff) << 8).isEqualTo(128 - 10);
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
    assertThat(new String(npy, 10, 118, StandardCharsets.US_ASCII)).isEqualTo(dict + " ".repeat(117 - dict.length()) + "\n");
    assertThat(npy).hasSize(128 + data.length);
  }

  @Test
  void aOneDimensionalShapeIsAPythonTupleWithItsTrailingComma() {
    byte[] npy = NpyFile.float32(new long[] {4}, new byte[16]);
    assertThat(new String(npy, 10, 118, StandardCharsets.US_ASCII)).contains("'shape': (4,), }");
  }

  @Test
  void aLongHeaderGrowsByWholeBlocksOf64Bytes() {
    long[] shape = new long[40];
    Arrays.fill(shape, 1);
    byte[] header = NpyFile.header("<f4", shape);
    assertThat(header.length).isEqualTo(192);
    assertThat(header[header.length - 1]).isEqualTo((byte) '\n');
  }

  @Test
  void dataThatDoesNotFitTheShapeIsRefused() {
    assertThatThrownBy(() -> NpyFile.float32(new long[] {2, 28, 28}, new byte[28 * 28 * 4]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shape [2, 28, 28] needs 6272 bytes of float32, got 3136");
  }
}
