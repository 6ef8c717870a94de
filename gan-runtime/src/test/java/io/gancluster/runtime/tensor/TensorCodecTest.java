package io.gancluster.runtime.tensor;

import io.gancluster.core.tensor.InvalidTensorException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.gancluster.proto.v1.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TensorCodecTest {
  static final long[] IMAGES = {-1, 1, 28, 28};

  @Test
  void roundTripIsExactAndLittleEndian() {
    INDArray a = Nd4j.rand(DataType.FLOAT, 3, 1, 28, 28);
    Tensor t = TensorCodec.encode(a);
    assertThat(t.getData().size()).isEqualTo(3 * 784 * 4);
    assertThat(TensorCodec.decode(t, "x", IMAGES, 10)).isEqualTo(a);
    Tensor one = TensorCodec.encode(Nd4j.scalar(1.0f).reshape(1, 1));
    assertThat(one.getData().toByteArray()).containsExactly(0, 0, (byte) 0x80, 0x3f); // 1.0f, little-endian
  }

  @Test
  void viewsOtherOrdersAndDoublesEncodeAsTheirCOrderFloatValues() {
    INDArray whole = Nd4j.rand(DataType.FLOAT, 6, 1, 28, 28);
    INDArray rows = whole.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 5)); // a view at an offset
    INDArray fOrder = rows.dup('f');
    INDArray doubles = rows.castTo(DataType.DOUBLE);
    for (INDArray a : new INDArray[] {rows, fOrder, doubles, rows}) { // rows twice: encoding leaves it as it was
      Tensor t = TensorCodec.encode(a);
      assertThat(t.getShapeList()).containsExactly(3L, 1L, 28L, 28L);
      INDArray back = TensorCodec.decode(t, "x", IMAGES, 10);
      assertThat(back).isEqualTo(rows.dup('c'));
      assertThat(back.ordering()).isEqualTo('c');
      assertThat(TensorCodec.decode(t, "x", IMAGES, 10)).isEqualTo(back); // decoding twice reads the same bytes
    }
  }

  @Test
  void refusesWrongRankAndDimensions() {
    assertThatThrownBy(() -> TensorCodec.decode(TensorCodec.encode(Nd4j.zeros(DataType.FLOAT, 2, 28, 28)), "fake",
        IMAGES, 10)).isInstanceOf(InvalidTensorException.class).hasMessageContaining("fake: expected shape [N, 1, 28, 28]");
    assertThatThrownBy(() -> TensorCodec.decode(TensorCodec.encode(Nd4j.zeros(DataType.FLOAT, 2, 1, 27, 28)), "fake",
        IMAGES, 10)).hasMessageContaining("got [2, 1, 27, 28]");
  }

  @Test
  void refusesBatchOverTheLimitBeforeAllocating() {
    Tensor huge = Tensor.newBuilder().addShape(1L << 40).addShape(1).addShape(28).addShape(28).build();
    assertThatThrownBy(() -> TensorCodec.decode(huge, "real", IMAGES, 1024)).hasMessageContaining("batch 1..1024");
  }

  @Test
  void refusesByteLengthMismatchAndNonFiniteValues() {
    Tensor shortData = Tensor.newBuilder().addShape(1).addShape(1).addShape(28).addShape(28)
        .setData(ByteString.copyFrom(new byte[100])).build();
    assertThatThrownBy(() -> TensorCodec.decode(shortData, "x", IMAGES, 4)).hasMessageContaining("needs 3136 bytes");
    INDArray inf = Nd4j.zeros(DataType.FLOAT, 1, 1, 28, 28);
    inf.putScalar(new long[] {0, 0, 3, 3}, Float.POSITIVE_INFINITY);
    assertThatThrownBy(() -> TensorCodec.decode(TensorCodec.encode(inf), "x", IMAGES, 4))
        .hasMessageContaining("non-finite").hasMessageContaining("flat index 87");
  }
}
