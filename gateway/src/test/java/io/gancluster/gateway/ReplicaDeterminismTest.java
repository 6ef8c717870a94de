package io.gancluster.gateway;

import io.gancluster.client.RpcClient;
import static io.gancluster.gateway.TestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.model.recipe.Presets;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.client.GeneratorClient;
import io.gancluster.generator.GeneratorVerticle;
import io.gancluster.proto.v1.ExportStateRequest;
import io.gancluster.proto.v1.SampleRequest;
import io.gancluster.proto.v1.SampleResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The same request against the same parameters gives bit-identical images whichever replica serves it
 * and whatever else runs at the same time: two generator replicas holding one state, each behind its
 * own gateway, answer a fixed request amid a burst of concurrent, different requests.
 */
class ReplicaDeterminismTest {
  private Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
  }

  private GeneratorClient replica(Preset preset, long seed) throws Exception {
    GeneratorVerticle v = GeneratorVerticle.forPreset(preset, seed, 0);
    await(vertx.deployVerticle(v));
    return new GeneratorClient(RpcClient.plain(vertx), new HostPort("127.0.0.1", v.actualPort()));
  }

  private SamplingService gateway(GeneratorClient generator) {
    return new SamplingService(generator, new GanMetrics(), 256);
  }

  @Test
  void replicasWithOneStateAnswerTheSameRequestBitForBitUnderConcurrentLoad() throws Exception {
    Preset preset = Presets.get("cgan-concat");
    GeneratorClient a = replica(preset, 1);
    GeneratorClient b = replica(preset, 2); // other initial weights, then the same state as a
    await(b.importState(await(a.exportState(ExportStateRequest.getDefaultInstance()))));
    SamplingService ga = gateway(a);
    SamplingService gb = gateway(b);

    SampleRequest fixed = SampleRequest.newBuilder().setCount(16).setSeed(42).addLabels(3).build();
    List<Future<SampleResponse>> answers = new ArrayList<>();
    List<Future<SampleResponse>> noise = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      noise.add((i % 2 == 0 ? ga : gb).sample(SampleRequest.newBuilder().setCount(40 + i).setSeed(i)
          .addLabels(i % 10).build()));
      answers.add((i % 2 == 0 ? ga : gb).sample(fixed));
    }
    for (Future<SampleResponse> f : noise) {
      await(f);
    }
    SampleResponse reference = await(answers.get(0));
    for (Future<SampleResponse> f : answers) {
      assertThat(await(f).getImages()).isEqualTo(reference.getImages());
    }
    assertThat(reference.getLabelsList()).hasSize(16).containsOnly(3);
  }

  @Test
  void labelsForAnUnconditionalModelAreInvalidArgument() throws Exception {
    SamplingService g = gateway(replica(Presets.get("tiny"), 1));
    Throwable err = TestSupport.failure(g.sample(SampleRequest.newBuilder().setCount(2).setSeed(1).addLabels(3).build()));
    assertThat(err).isInstanceOf(io.vertx.grpc.server.StatusException.class);
    assertThat(((io.vertx.grpc.server.StatusException) err).status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(((io.vertx.grpc.server.StatusException) err).message()).contains("unconditional");
  }
}
