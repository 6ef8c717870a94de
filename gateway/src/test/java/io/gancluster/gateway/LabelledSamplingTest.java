package io.gancluster.gateway;

import static io.gancluster.gateway.TestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.gancluster.core.model.recipe.Conditioning;
import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.model.recipe.Presets;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.client.RpcClient;
import io.gancluster.runtime.rpc.RpcException;
import io.gancluster.generator.GeneratorVerticle;
import io.gancluster.proto.v1.SampleRequest;
import io.gancluster.proto.v1.SampleResponse;
import io.gancluster.proto.v1.SamplingServiceGrpcClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.client.WebClient;
import io.vertx.grpc.common.GrpcStatus;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** "16 images of class 3, seed 42": labelled samples through the gateway, over gRPC and HTTP. */
class LabelledSamplingTest {
  private static final List<String> NAMES = io.gancluster.core.data.DataSources.FASHION_LABELS;
  private Vertx vertx;
  private GatewayVerticle gateway;
  private io.gancluster.client.GeneratorClient generatorClient;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    Preset tiny = Presets.get("tiny");
    Preset conditional = tiny.withModel(tiny.model().withConditioning(new Conditioning(10,
        Conditioning.GeneratorLabels.CONCAT, Conditioning.DiscriminatorLabels.INPUT_CHANNEL)));
    GeneratorVerticle generator = GeneratorVerticle.forPreset(conditional, 5, 0);
    await(vertx.deployVerticle(generator));
    generatorClient = new io.gancluster.client.GeneratorClient(RpcClient.plain(vertx),
        new HostPort("127.0.0.1", generator.actualPort()));
    gateway = new GatewayVerticle(new GatewayOptions().setHttpPort(0).setGrpcPort(0)
        .setGenerator(new HostPort("127.0.0.1", generator.actualPort())));
    await(vertx.deployVerticle(gateway));
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
  }

  private Future<SampleResponse> sample(SampleRequest request) {
    RpcClient client = RpcClient.plain(vertx);
    return client.unary(SocketAddress.inetSocketAddress(gateway.actualGrpcPort(), "127.0.0.1"),
        SamplingServiceGrpcClient.Sample, request, 30_000);
  }

  @Test
  void sixteenImagesOfClassThreeSeed42AreDeterministicAndLabelled() throws Exception {
    SampleRequest request = SampleRequest.newBuilder().setCount(16).setSeed(42).addLabels(3).build();
    SampleResponse first = await(sample(request));
    SampleResponse again = await(sample(request));
    assertThat(first.getLabelsList()).hasSize(16).containsOnly(3);
    assertThat(again.getImages()).isEqualTo(first.getImages());
    SampleResponse other = await(sample(request.toBuilder().clearLabels().addLabels(4).build()));
    assertThat(other.getImages()).isNotEqualTo(first.getImages());
  }

  @Test
  void unknownLabelsAreInvalidArgumentOverGrpcAnd400OverHttp() throws Exception {
    Throwable err = TestSupport.failure(sample(SampleRequest.newBuilder().setCount(2).setSeed(1)
        .addAllLabels(List.of(3, 10)).build()));
    assertThat(err).isInstanceOf(RpcException.class).hasMessageContaining("valid labels are 0..9");
    assertThat(((RpcException) err).status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);

    WebClient web = WebClient.create(vertx);
    int port = gateway.actualHttpPort();
    assertThat(await(web.get(port, "127.0.0.1", "/api/v1/samples.png?count=4&seed=1&label=3").send()).statusCode())
        .isEqualTo(200);
    var bad = await(web.get(port, "127.0.0.1", "/api/v1/samples.png?count=4&seed=1&label=12").send());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.bodyAsString()).contains("valid labels are 0..9");
    var junk = await(web.get(port, "127.0.0.1", "/api/v1/samples.png?count=4&seed=1&label=three").send());
    assertThat(junk.statusCode()).isEqualTo(400);
    assertThat(junk.bodyAsString()).contains("unknown label name 'three'");
  }

  @Test
  void labelsAreListedAndAskedForByNameOnceTheTrainerPublishedThem() throws Exception {
    await(generatorClient.publishModel(io.gancluster.proto.v1.ModelInfo.newBuilder()
        .setVersion("runs/test/checkpoint-000000007").addAllLabelNames(NAMES).build()));
    var labels = await(RpcClient.plain(vertx).unary(SocketAddress.inetSocketAddress(gateway.actualGrpcPort(), "127.0.0.1"), SamplingServiceGrpcClient.ListLabels,
        io.gancluster.proto.v1.ListLabelsRequest.getDefaultInstance(), 30_000));
    assertThat(labels.getClasses()).isEqualTo(10);
    assertThat(labels.getNamesList()).isEqualTo(NAMES);

    SampleResponse byName = await(sample(SampleRequest.newBuilder().setCount(3).setSeed(42).addLabelNames("Trouser")
        .build()));
    SampleResponse byIndex = await(sample(SampleRequest.newBuilder().setCount(3).setSeed(42).addLabels(1).build()));
    assertThat(byName.getImages()).isEqualTo(byIndex.getImages());
    assertThat(byName.getLabelsList()).containsOnly(1);
    assertThat(byName.getModelVersion()).isEqualTo("runs/test/checkpoint-000000007");

    Throwable err = TestSupport.failure(sample(SampleRequest.newBuilder().setCount(1).setSeed(1)
        .addLabelNames("Sock").build()));
    assertThat(((RpcException) err).status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(err).hasMessageContaining("unknown label name 'Sock'").hasMessageContaining("Ankle boot");

    var http = await(WebClient.create(vertx).get(gateway.actualHttpPort(), "127.0.0.1", "/api/v1/labels").send());
    assertThat(http.bodyAsJsonObject().getJsonArray("names").getList()).isEqualTo(NAMES);
    assertThat(await(WebClient.create(vertx).get(gateway.actualHttpPort(), "127.0.0.1",
        "/api/v1/samples.png?count=2&seed=1&label=Bag,Coat").send()).statusCode()).isEqualTo(200);
  }

  @Test
  void truncationAndOutputFormatsAreHonoured() throws Exception {
    SampleRequest base = SampleRequest.newBuilder().setCount(4).setSeed(9).addLabels(2).build();
    SampleResponse floats = await(sample(base));
    SampleResponse bytes = await(sample(base.toBuilder().setFormat(io.gancluster.proto.v1.ImageFormat.IMAGE_FORMAT_UINT8)
        .build()));
    SampleResponse png = await(sample(base.toBuilder().setFormat(io.gancluster.proto.v1.ImageFormat.IMAGE_FORMAT_PNG_GRID)
        .build()));
    assertThat(bytes.getImages().getDtype()).isEqualTo(io.gancluster.proto.v1.DType.DTYPE_UINT8);
    assertThat(bytes.getImages().getData().size()).isEqualTo(4 * 784);
    var decoded = io.gancluster.runtime.tensor.TensorCodec.decode(floats.getImages(), "images", new long[] {4, 1, 28, 28}, 4);
    assertThat(bytes.getImages().getData().toByteArray()).isEqualTo(io.gancluster.core.image.Pixels.bytes(decoded));
    assertThat(png.getPng().substring(1, 4).toStringUtf8()).isEqualTo("PNG");
    assertThat(png.hasImages()).isFalse();

    SampleResponse truncated = await(sample(base.toBuilder().setTruncation(0.5f).build()));
    assertThat(truncated.getImages()).isNotEqualTo(floats.getImages());
    assertThat(await(sample(base.toBuilder().setTruncation(0.5f).build())).getImages())
        .isEqualTo(truncated.getImages());
    Throwable err = TestSupport.failure(sample(base.toBuilder().setTruncation(0.01f).build()));
    assertThat(((RpcException) err).status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(err).hasMessageContaining("truncation must be 0 (off) or at least 0.05");
  }
}
