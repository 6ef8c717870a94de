package io.gancluster.runtime.tensor;

import io.gancluster.core.tensor.InvalidTensorException;

import com.google.protobuf.UnsafeByteOperations;
import io.gancluster.proto.v1.DType;
import io.gancluster.proto.v1.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * INDArray ⇄ {@link Tensor}: shape plus raw little-endian float32 bytes.
 *
 * <p>Decoding validates everything a peer could get wrong (dtype, rank, each dimension, byte length,
 * NaN/Inf) before allocating, so a hostile shape never reaches ND4J.
 */
public final class TensorCodec {
  /** Largest tensor a decoder accepts, in elements (256 MiB of float32). */
  public static final long MAX_ELEMENTS = 64L * 1024 * 1024;

  private TensorCodec() {}

  /**
   * The wire's little-endian float32 is ND4J's native layout on every platform its CPU backend ships for; the
   * fast paths copy raw bytes between the native buffer and the message, and the others convert.
   */
  private static final boolean NATIVE_IS_WIRE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

  public static Tensor encode(INDArray array) {
    INDArray f = array.dataType() == DataType.FLOAT ? array : array.castTo(DataType.FLOAT);
    Tensor.Builder b = Tensor.newBuilder().setDtype(DType.DTYPE_FLOAT32);
    for (long d : array.shape()) {
      b.addShape(d);
    }
    return b.setData(UnsafeByteOperations.unsafeWrap(littleEndianBytes(f))).build();
  }

  /** One copy, native memory to the heap, when {@code f} is a whole dense c-order buffer (the usual case). */
  private static byte[] littleEndianBytes(INDArray f) {
    INDArray dense = isWholeBuffer(f) ? f : f.dup('c');
    byte[] bytes = new byte[Math.toIntExact(dense.length() * Float.BYTES)];
    if (NATIVE_IS_WIRE) {
      dense.data().asNio().get(bytes);
    } else {
      ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(dense.data().asFloat());
    }
    return bytes;
  }

  private static boolean isWholeBuffer(INDArray a) {
    return a.ordering() == 'c' && a.offset() == 0 && !a.isView() && a.data().length() == a.length()
        && a.elementWiseStride() == 1;
  }

  /** Images in [-1, 1] as a DTYPE_UINT8 tensor of gray levels 0..255 (a quarter of the float32 bytes). */
  public static Tensor encodeUint8(INDArray images) {
    Tensor.Builder b = Tensor.newBuilder().setDtype(DType.DTYPE_UINT8);
    for (long d : images.shape()) {
      b.addShape(d);
    }
    return b.setData(UnsafeByteOperations.unsafeWrap(io.gancluster.core.image.Pixels.bytes(images))).build();
  }

  /**
   * Decodes a float32 tensor whose shape must match {@code expected}; a negative expected
   * dimension accepts any size from 1 to {@code maxBatch} (the batch dimension).
   *
   * @param what names the tensor in error messages ("fake", "z", ...)
   */
  public static INDArray decode(Tensor tensor, String what, long[] expected, long maxBatch) {
    long[] shape = checkShape(tensor, what, expected, maxBatch);
    FloatBuffer values = tensor.getData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    for (int i = 0, n = values.limit(); i < n; i++) {
      float v = values.get(i);
      if (!Float.isFinite(v)) {
        throw new InvalidTensorException(what + " contains a non-finite value (" + v + ") at flat index " + i);
      }
    }
    if (!NATIVE_IS_WIRE) {
      float[] copy = new float[values.limit()];
      values.get(copy);
      return Nd4j.create(copy, shape, 'c');
    }
    // checked first, then one copy straight into the array's native buffer
    INDArray array = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
    tensor.getData().copyTo(array.data().asNio());
    return array;
  }

  private static long[] checkShape(Tensor tensor, String what, long[] expected, long maxBatch) {
    if (tensor.getDtype() != DType.DTYPE_FLOAT32) {
      throw new InvalidTensorException(what + ": expected dtype DTYPE_FLOAT32, got " + tensor.getDtype());
    }
    long[] shape = tensor.getShapeList().stream().mapToLong(Long::longValue).toArray();
    if (shape.length != expected.length) {
      throw new InvalidTensorException(
          what + ": expected shape " + describe(expected) + ", got " + Arrays.toString(shape));
    }
    long elements = 1;
    for (int i = 0; i < shape.length; i++) {
      boolean ok = expected[i] < 0 ? shape[i] >= 1 && shape[i] <= maxBatch : shape[i] == expected[i];
      if (!ok) {
        throw new InvalidTensorException(what + ": expected shape " + describe(expected)
            + (expected[i] < 0 ? " with batch 1.." + maxBatch : "") + ", got " + Arrays.toString(shape));
      }
      elements = Math.multiplyExact(elements, shape[i]);
    }
    if (elements > MAX_ELEMENTS) {
      throw new InvalidTensorException(what + ": " + elements + " elements exceed the limit of " + MAX_ELEMENTS);
    }
    long expectedBytes = elements * Float.BYTES;
    if (tensor.getData().size() != expectedBytes) {
      throw new InvalidTensorException(what + ": shape " + Arrays.toString(shape) + " needs " + expectedBytes
          + " bytes of float32, got " + tensor.getData().size());
    }
    return shape;
  }

  /** Renders an expected shape with -1 shown as "N". */
  public static String describe(long[] expected) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < expected.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(expected[i] < 0 ? "N" : Long.toString(expected[i]));
    }
    return sb.append(']').toString();
  }
}
