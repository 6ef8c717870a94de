package io.gancluster.generator;

import io.gancluster.client.RpcClient;
import io.gancluster.client.GeneratorClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gancluster.core.model.recipe.Conditioning;
import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.model.recipe.Presets;
import io.gancluster.runtime.rpc.Blocking;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.runtime.rpc.RpcException;
import io.gancluster.runtime.tensor.TensorCodec;
import io.gancluster.proto.v1.GenerateRequest;
import io.gancluster.proto.v1.GeneratorSampleRequest;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A conditional generator: labels steer the images, and bad labels are refused over gRPC. */
class ConditionalGeneratorTest {
  static Preset conditional() {
    Preset tiny = Presets.get("tiny");
    return tiny.withModel(tiny.model().withConditioning(new Conditioning(10, Conditioning.GeneratorLabels.MULTIPLY,
        Conditioning.DiscriminatorLabels.AUXILIARY)));
  }

  @Test
  void aSampleDependsOnItsOwnZAndLabelOnly() {
    GeneratorTrainer g = new GeneratorTrainer(conditional(), DataType.FLOAT, 3);
    INDArray all = g.sample(10, 42, new int[] {3});
    INDArray perImage = g.sample(10, 42, new int[] {3, 3, 3, 3, 3, 3, 3, 3, 3, 3});
    assertThat(perImage).isEqualTo(all);
    INDArray mixed = g.sample(10, 42, new int[] {3, 4, 3, 4, 3, 4, 3, 4, 3, 4});
    assertThat(mixed.slice(0)).isEqualTo(all.slice(0));
    assertThat(mixed.slice(1)).isNotEqualTo(all.slice(1));
  }

  @Test
  void badLabelsAreInvalidArgumentNamingTheValidOnes() {
    Vertx vertx = Vertx.vertx();
    try {
      GeneratorVerticle conditional = GeneratorVerticle.forPreset(conditional(), 1, 0);
      GeneratorVerticle plain = GeneratorVerticle.forPreset(Presets.get("tiny"), 1, 0);
      Blocking.await(vertx.deployVerticle(conditional), Duration.ofMinutes(1));
      Blocking.await(vertx.deployVerticle(plain), Duration.ofMinutes(1));
      GeneratorClient c = new GeneratorClient(RpcClient.plain(vertx), new HostPort("127.0.0.1", conditional.actualPort()));
      GeneratorClient p = new GeneratorClient(RpcClient.plain(vertx), new HostPort("127.0.0.1", plain.actualPort()));
      INDArray z = Nd4j.randn(DataType.FLOAT, 2, 8);

      assertThat(Blocking.await(c.generate(GenerateRequest.newBuilder().setZ(TensorCodec.encode(z))
          .addAllLabels(List.of(1, 2)).build()), Duration.ofMinutes(1)).getImages().getShapeList())
          .containsExactly(2L, 1L, 28L, 28L);
      assertInvalid(c.generate(GenerateRequest.newBuilder().setZ(TensorCodec.encode(z)).addAllLabels(List.of(1, 12))
          .build()), "valid labels are 0..9");
      assertInvalid(c.generate(GenerateRequest.newBuilder().setZ(TensorCodec.encode(z)).build()), "one label per image");
      assertInvalid(c.sample(GeneratorSampleRequest.newBuilder().setCount(3).setSeed(1).addAllLabels(List.of(1, 2)).build()),
          "one label per image");
      assertInvalid(p.sample(GeneratorSampleRequest.newBuilder().setCount(3).setSeed(1).addLabels(1).build()),
          "unconditional");
    } finally {
      Blocking.await(vertx.close(), Duration.ofSeconds(30));
    }
  }

  private static void assertInvalid(io.vertx.core.Future<?> f, String message) {
    assertThatThrownBy(() -> Blocking.await(f, Duration.ofMinutes(1)))
        .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT))
        .hasMessageContaining(message);
  }
}
