package io.gancluster.gateway.http;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * NumPy's .npy format, version 1.0 (numpy.org/neps/nep-0001-npy-format): the magic string, a
 * little-endian uint16 header length, a Python dict literal padded with spaces to a multiple of 64 bytes
 * and ending in a newline, then the raw data in C order.
 */
public final class NpyFile {
  static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
  /** numpy pads the preamble so the data starts 64-byte aligned. */
  private static final int ALIGNMENT = 64;

  private NpyFile() {}

  /** A .npy file of little-endian float32 ({@code '<f4'}) with {@code shape}, from {@code littleEndian}. */
  public static byte[] float32(long[] shape, byte[] littleEndian) {
    long elements = Arrays.stream(shape).reduce(1, Math::multiplyExact);
    if (littleEndian.length != elements * Float.BYTES) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + elements * Float.BYTES
          + " bytes of float32, got " + littleEndian.length);
    }
    byte[] header = header("<f4", shape);
    return ByteBuffer.allocate(header.length + littleEndian.length).put(header).put(littleEndian).array();
  }

  /** Magic, version, header length and the padded dict. */
  static byte[] header(String descr, long[] shape) {
    String dims = Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", "));
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims
        + (shape.length == 1 ? "," : "") + "), }";
    int preamble = MAGIC.length + 2;
    int padded = (preamble + dict.length() + 1 + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    String text = dict + " ".repeat(padded - preamble - dict.length() - 1) + "\n";
    return ByteBuffer.allocate(padded).order(ByteOrder.LITTLE_ENDIAN).put(MAGIC).putShort((short) text.length())
        .put(text.getBytes(StandardCharsets.US_ASCII)).array();
  }
}
