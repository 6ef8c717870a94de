package io.gancluster.gateway;

import static io.gancluster.gateway.TestSupport.await;

import io.gancluster.client.GeneratorClient;
import io.gancluster.client.RpcClient;
import io.gancluster.core.model.recipe.Conditioning;
import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.model.recipe.Presets;
import io.gancluster.generator.GeneratorVerticle;
import io.gancluster.proto.v1.ModelInfo;
import io.gancluster.proto.v1.SampleRequest;
import io.gancluster.proto.v1.SampleResponse;
import io.gancluster.proto.v1.SamplingServiceGrpcClient;
import io.gancluster.runtime.rpc.HostPort;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A loopback gateway in front of a conditional tiny generator (10 classes named "0".."9") that serves
 * model version {@code version}, as the trainer would have published it; HTTP and gRPC on free ports.
 */
final class ConditionalGateway implements AutoCloseable {
  static final List<String> DIGITS = IntStream.range(0, 10).mapToObj(Integer::toString).toList();

  final Vertx vertx = Vertx.vertx();
  final GatewayVerticle gateway;
  final String version;
  private final WebClient web = WebClient.create(vertx);

  ConditionalGateway(String version) throws Exception {
    this.version = version;
    Preset tiny = Presets.get("tiny");
    Preset conditional = tiny.withModel(tiny.model().withConditioning(new Conditioning(10,
        Conditioning.GeneratorLabels.CONCAT, Conditioning.DiscriminatorLabels.INPUT_CHANNEL)));
    GeneratorVerticle generator = GeneratorVerticle.forPreset(conditional, 7, 0);
    await(vertx.deployVerticle(generator));
    HostPort address = new HostPort("127.0.0.1", generator.actualPort());
    await(new GeneratorClient(RpcClient.plain(vertx), address).publishModel(ModelInfo.newBuilder().setVersion(version)
        .addAllLabelNames(DIGITS).build()));
    gateway = new GatewayVerticle(new GatewayOptions().setHttpPort(0).setGrpcPort(0).setGenerator(address));
    await(vertx.deployVerticle(gateway));
  }

  HttpResponse<Buffer> get(String uri) throws Exception {
    return await(web.get(gateway.actualHttpPort(), "127.0.0.1", uri).send());
  }

  /** The same request over the gateway's gRPC API, float32 images. */
  SampleResponse sample(SampleRequest request) throws Exception {
    return await(RpcClient.plain(vertx).unary(SocketAddress.inetSocketAddress(gateway.actualGrpcPort(), "127.0.0.1"),
        SamplingServiceGrpcClient.Sample, request, 30_000));
  }

  @Override
  public void close() throws Exception {
    await(vertx.close());
  }
}
