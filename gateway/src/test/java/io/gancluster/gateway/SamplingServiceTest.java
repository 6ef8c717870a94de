package io.gancluster.gateway;

import static io.gancluster.gateway.TestSupport.await;
import static io.gancluster.gateway.TestSupport.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.gancluster.core.model.recipe.Presets;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.client.RpcClient;
import io.gancluster.runtime.rpc.RpcException;
import io.gancluster.runtime.tensor.TensorCodec;
import io.gancluster.generator.GeneratorVerticle;
import io.gancluster.proto.v1.SampleRequest;
import io.gancluster.proto.v1.SampleResponse;
import io.gancluster.proto.v1.SamplingServiceGrpcClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.GrpcStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The public gRPC Sample call, over loopback, against a real tiny generator. */
class SamplingServiceTest {
  private Vertx vertx;
  private RpcClient client;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    client = RpcClient.plain(vertx);
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
  }

  private SocketAddress gateway(HostPort generator) throws Exception {
    GatewayVerticle gateway = new GatewayVerticle(new GatewayOptions().setHttpPort(0).setGrpcPort(0)
        .setGenerator(generator));
    await(vertx.deployVerticle(gateway));
    return SocketAddress.inetSocketAddress(gateway.actualGrpcPort(), "127.0.0.1");
  }

  private HostPort generator() throws Exception {
    GeneratorVerticle generator = GeneratorVerticle.forPreset(Presets.get("tiny"), 7, 0);
    await(vertx.deployVerticle(generator));
    return new HostPort("127.0.0.1", generator.actualPort());
  }

  private Future<SampleResponse> sample(SocketAddress gateway, int count) {
    return client.unary(gateway, SamplingServiceGrpcClient.Sample,
        SampleRequest.newBuilder().setCount(count).setSeed(3).build(), 30_000);
  }

  @Test
  void samplesComeFromTheGenerator() throws Exception {
    SocketAddress gateway = gateway(generator());

    SampleResponse resp = await(sample(gateway, 4));

    INDArray images = TensorCodec.decode(resp.getImages(), "images", new long[] {4, 1, 28, 28}, 4);
    assertThat(images.shape()).containsExactly(4, 1, 28, 28);
    assertThat(resp.getModelVersion()).isNotEmpty();
  }

  @Test
  void countOutsideTheLimitIsInvalidArgument() throws Exception {
    SocketAddress gateway = gateway(generator());

    for (int count : new int[] {0, 257}) {
      Throwable err = failure(sample(gateway, count));
      assertThat(err).isInstanceOf(RpcException.class);
      assertThat(((RpcException) err).status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
      assertThat(err).hasMessageContaining("between 1 and 256").hasMessageContaining("got " + count);
    }
  }

  @Test
  void generatorDownIsUnavailableAndNamesIt() throws Exception {
    HostPort down = new HostPort("127.0.0.1", TestSupport.closedPort());
    SocketAddress gateway = gateway(down);

    Throwable err = failure(sample(gateway, 4));

    assertThat(err).isInstanceOf(RpcException.class);
    assertThat(((RpcException) err).status()).isEqualTo(GrpcStatus.UNAVAILABLE);
    assertThat(err).hasMessageContaining("generator").hasMessageContaining(down.toString());
  }
}
