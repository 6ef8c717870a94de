package io.gancluster.gateway;

import static io.gancluster.gateway.TestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.gancluster.client.GeneratorClient;
import io.gancluster.client.RpcClient;
import io.gancluster.core.model.recipe.Presets;
import io.gancluster.generator.GeneratorVerticle;
import io.gancluster.proto.v1.GeneratorSampleRequest;
import io.gancluster.proto.v1.ModelInfo;
import io.gancluster.proto.v1.SampleRequest;
import io.gancluster.proto.v1.SampleResponse;
import io.gancluster.proto.v1.SamplingServiceGrpcClient;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.runtime.rpc.RpcException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.client.WebClient;
import io.vertx.grpc.common.GrpcStatus;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SampleRequest.model_version: two replicas hold two versions; a request pinned to one is answered only
 * by the replica holding it (whatever the round robin would pick), a version no replica holds is
 * FAILED_PRECONDITION (HTTP 409) naming the versions held and where.
 */
class ModelVersionPinTest {
  private Vertx vertx;
  private GatewayVerticle gateway;
  private GeneratorClient a;
  private HostPort aAddress;
  private HostPort bAddress;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    GeneratorVerticle ga = GeneratorVerticle.forPreset(Presets.get("tiny"), 1, 0);
    GeneratorVerticle gb = GeneratorVerticle.forPreset(Presets.get("tiny"), 2, 0);
    await(vertx.deployVerticle(ga));
    await(vertx.deployVerticle(gb));
    aAddress = new HostPort("127.0.0.1", ga.actualPort());
    bAddress = new HostPort("127.0.0.1", gb.actualPort());
    a = new GeneratorClient(RpcClient.plain(vertx), aAddress);
    GeneratorClient b = new GeneratorClient(RpcClient.plain(vertx), bAddress);
    await(a.publishModel(ModelInfo.newBuilder().setVersion("run/checkpoint-000000010").build()));
    await(b.publishModel(ModelInfo.newBuilder().setVersion("run/checkpoint-000000020").build()));
    gateway = new GatewayVerticle(new GatewayOptions().setHttpPort(0).setGrpcPort(0)
        .setGenerators(List.of(aAddress, bAddress)));
    await(vertx.deployVerticle(gateway));
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
  }

  private Future<SampleResponse> sample(SampleRequest request) {
    return RpcClient.plain(vertx).unary(SocketAddress.inetSocketAddress(gateway.actualGrpcPort(), "127.0.0.1"),
        SamplingServiceGrpcClient.Sample, request, 30_000);
  }

  @Test
  void aPinnedVersionIsAnsweredOnlyByTheReplicaHoldingIt() throws Exception {
    SampleRequest toA = SampleRequest.newBuilder().setCount(3).setSeed(42).setModelVersion("run/checkpoint-000000010")
        .build();
    var direct = await(a.sample(GeneratorSampleRequest.newBuilder().setCount(3).setSeed(42).build()));
    for (int i = 0; i < 6; i++) { // round robin alone would send half of these to the other replica
      SampleResponse r = await(sample(toA));
      assertThat(r.getModelVersion()).isEqualTo("run/checkpoint-000000010");
      assertThat(r.getImages()).isEqualTo(direct.getImages());
      SampleResponse toB = await(sample(toA.toBuilder().setModelVersion("run/checkpoint-000000020").build()));
      assertThat(toB.getModelVersion()).isEqualTo("run/checkpoint-000000020");
      assertThat(toB.getImages()).isNotEqualTo(direct.getImages());
    }
    assertThat(List.of(await(sample(toA.toBuilder().clearModelVersion().build())).getModelVersion(),
        await(sample(toA.toBuilder().clearModelVersion().build())).getModelVersion()))
        .as("unpinned requests still go round robin")
        .containsExactlyInAnyOrder("run/checkpoint-000000010", "run/checkpoint-000000020");
  }

  @Test
  void aVersionNoReplicaHoldsIsFailedPreconditionNamingTheHeldOnes() throws Exception {
    Throwable err = TestSupport.failure(sample(SampleRequest.newBuilder().setCount(2).setSeed(1)
        .setModelVersion("run/checkpoint-000000005").build()));
    assertThat(err).isInstanceOf(RpcException.class);
    assertThat(((RpcException) err).status()).isEqualTo(GrpcStatus.FAILED_PRECONDITION);
    assertThat(err.getMessage()).contains("no generator replica holds model version 'run/checkpoint-000000005'")
        .contains("'run/checkpoint-000000010' (" + aAddress + ")")
        .contains("'run/checkpoint-000000020' (" + bAddress + ")");

    Throwable tooLong = TestSupport.failure(sample(SampleRequest.newBuilder().setCount(2).setModelVersion("v".repeat(257))
        .build()));
    assertThat(((RpcException) tooLong).status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(tooLong).hasMessageContaining("at most 256 printable ASCII characters");
  }

  @Test
  void overHttpThePinIsAQueryParameterAnd409WhenNotHeld() throws Exception {
    WebClient web = WebClient.create(vertx);
    int port = gateway.actualHttpPort();
    var ok = await(web.get(port, "127.0.0.1", "/api/v1/samples.png?count=4&seed=1&model_version=run/checkpoint-000000020")
        .send());
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.getHeader(HttpApi.MODEL_VERSION_HEADER)).isEqualTo("run/checkpoint-000000020");
    var gone = await(web.get(port, "127.0.0.1", "/api/v1/samples.png?count=4&seed=1&model_version=run/checkpoint-000000005")
        .send());
    assertThat(gone.statusCode()).isEqualTo(409);
    assertThat(gone.bodyAsString()).contains("no generator replica holds model version 'run/checkpoint-000000005'")
        .contains("'run/checkpoint-000000010'");
  }
}
