package io.gancluster.generator;

import io.gancluster.client.RpcClient;
import io.gancluster.client.GeneratorClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.gancluster.core.model.recipe.Presets;
import io.gancluster.runtime.rpc.Blocking;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.runtime.rpc.RpcException;
import io.gancluster.runtime.tensor.TensorCodec;
import io.gancluster.proto.v1.ApplyGradientRequest;
import io.gancluster.proto.v1.GenerateRequest;
import io.gancluster.proto.v1.GeneratorSampleRequest;
import io.gancluster.proto.v1.GeneratorSampleResponse;
import io.gancluster.proto.v1.Tensor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** generator-service over real gRPC: bad requests get INVALID_ARGUMENT saying what was expected. */
class GeneratorServiceErrorsTest {
  static Vertx vertx;
  static GeneratorClient client;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    GeneratorVerticle v = GeneratorVerticle.forPreset(Presets.get("tiny"), 1, 0);
    Blocking.await(vertx.deployVerticle(v), Duration.ofMinutes(1));
    client = new GeneratorClient(RpcClient.plain(vertx), new HostPort("127.0.0.1", v.actualPort()));
  }

  @AfterAll
  static void stop() {
    Blocking.await(vertx.close(), Duration.ofSeconds(30));
  }

  @Test
  void generatesImagesOfTheRequestedBatch() {
    var r = call(client.generate(GenerateRequest.newBuilder().setStepId(1)
        .setZ(TensorCodec.encode(Nd4j.randn(DataType.FLOAT, 3, 8))).build()));
    assertThat(r.getImages().getShapeList()).containsExactly(3L, 1L, 28L, 28L);
  }

  @Test
  void wrongLatentShapeIsInvalidArgumentNamingTheExpectedShape() {
    assertStatus(client.generate(GenerateRequest.newBuilder()
            .setZ(TensorCodec.encode(Nd4j.randn(DataType.FLOAT, 3, 5))).build()),
        GrpcStatus.INVALID_ARGUMENT, "expected shape [N, 8]");
  }

  @Test
  void byteLengthThatDoesNotMatchTheShapeIsInvalidArgument() {
    Tensor t = Tensor.newBuilder().addShape(2).addShape(8).setData(ByteString.copyFrom(new byte[10])).build();
    assertStatus(client.generate(GenerateRequest.newBuilder().setZ(t).build()), GrpcStatus.INVALID_ARGUMENT,
        "needs 64 bytes");
  }

  @Test
  void aTrainingPassOfOneImageIsInvalidArgumentNotAnInternalError() {
    assertStatus(client.generate(GenerateRequest.newBuilder().setStepId(2)
            .setZ(TensorCodec.encode(Nd4j.randn(DataType.FLOAT, 1, 8))).build()),
        GrpcStatus.INVALID_ARGUMENT, "at least 2 latent rows");
  }

  @Test
  void nanIsInvalidArgument() {
    var z = Nd4j.randn(DataType.FLOAT, 2, 8);
    z.putScalar(0, 3, Float.NaN);
    assertStatus(client.generate(GenerateRequest.newBuilder().setZ(TensorCodec.encode(z)).build()),
        GrpcStatus.INVALID_ARGUMENT, "non-finite");
  }

  @Test
  void unknownStepIdIsInvalidArgument() {
    assertStatus(client.applyGradient(ApplyGradientRequest.newBuilder().setStepId(12345)
            .setGradImages(TensorCodec.encode(Nd4j.zeros(DataType.FLOAT, 2, 1, 28, 28))).build()),
        GrpcStatus.INVALID_ARGUMENT, "unknown step id 12345");
  }

  @Test
  void gradientOfTheWrongBatchSizeIsInvalidArgument() {
    call(client.generate(GenerateRequest.newBuilder().setStepId(77).setKeepForBackward(true)
        .setZ(TensorCodec.encode(Nd4j.randn(DataType.FLOAT, 4, 8))).build()));
    assertStatus(client.applyGradient(ApplyGradientRequest.newBuilder().setStepId(77)
            .setGradImages(TensorCodec.encode(Nd4j.zeros(DataType.FLOAT, 3, 1, 28, 28))).build()),
        GrpcStatus.INVALID_ARGUMENT, "expected shape [4, 1, 28, 28]");
  }

  @Test
  void sampleCountOutOfRangeIsInvalidArgumentWithTheLimit() {
    assertStatus(client.sample(GeneratorSampleRequest.newBuilder().setCount(0).build()), GrpcStatus.INVALID_ARGUMENT,
        "between 1 and 256");
    assertStatus(client.sample(GeneratorSampleRequest.newBuilder().setCount(100_000).build()), GrpcStatus.INVALID_ARGUMENT,
        "between 1 and 256");
  }

  @Test
  void aPinnedModelVersionIsServedOnlyWhileItIsTheCurrentOne() {
    call(client.publishModel(io.gancluster.proto.v1.ModelInfo.newBuilder().setVersion("run/checkpoint-000000005").build()));
    GeneratorSampleRequest pinned = GeneratorSampleRequest.newBuilder().setCount(2).setSeed(1)
        .setModelVersion("run/checkpoint-000000005").build();
    assertThat(call(client.sample(pinned)).getModelVersion()).isEqualTo("run/checkpoint-000000005");
    assertStatus(client.sample(pinned.toBuilder().setModelVersion("run/checkpoint-000000004").build()),
        GrpcStatus.FAILED_PRECONDITION, "this replica holds 'run/checkpoint-000000005'");
    assertStatus(client.sample(pinned.toBuilder().setModelVersion("bad\nversion").build()),
        GrpcStatus.INVALID_ARGUMENT, "printable ASCII");
  }

  @Test
  void sameSeedSamplesAreIdenticalAndOtherSeedsDiffer() {
    GeneratorSampleResponse a = call(client.sample(GeneratorSampleRequest.newBuilder().setCount(4).setSeed(42).build()));
    GeneratorSampleResponse b = call(client.sample(GeneratorSampleRequest.newBuilder().setCount(4).setSeed(42).build()));
    GeneratorSampleResponse c = call(client.sample(GeneratorSampleRequest.newBuilder().setCount(4).setSeed(43).build()));
    assertThat(b.getImages().getData()).isEqualTo(a.getImages().getData());
    assertThat(c.getImages().getData()).isNotEqualTo(a.getImages().getData());
  }

  private static <T> T call(Future<T> f) {
    return Blocking.await(f, Duration.ofSeconds(30));
  }

  private static void assertStatus(Future<?> f, GrpcStatus status, String messagePart) {
    assertThatThrownBy(() -> call(f)).isInstanceOfSatisfying(RpcException.class, e -> {
      assertThat(e.status()).isEqualTo(status);
      assertThat(e.getMessage()).contains(messagePart);
    });
  }
}
