package io.gancluster.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gancluster.core.model.recipe.Presets;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.generator.GeneratorVerticle;
import io.gancluster.proto.v1.SampleRequest;
import io.gancluster.proto.v1.SampleResponse;
import io.gancluster.proto.v1.SamplingServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A stock grpc-java client (Netty transport, generated blocking stubs) against the Vert.x gateway:
 * what a user's own gRPC client sees, including status codes, messages and the standard health check.
 */
class GrpcJavaClientInteropTest {
  Vertx vertx;
  ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    GeneratorVerticle g = GeneratorVerticle.forPreset(Presets.get("tiny"), 3, 0);
    TestSupport.await(vertx.deployVerticle(g));
    GatewayVerticle gw = new GatewayVerticle(new GatewayOptions().setHttpPort(0).setGrpcPort(0)
        .setGenerator(new HostPort("127.0.0.1", g.actualPort())));
    TestSupport.await(vertx.deployVerticle(gw));
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", gw.actualGrpcPort()).usePlaintext()
        .maxInboundMessageSize(64 * 1024 * 1024).build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    TestSupport.await(vertx.close());
  }

  @Test
  void samplesThroughTheGeneratedBlockingStub() {
    SampleResponse r = SamplingServiceGrpc.newBlockingStub(channel)
        .sample(SampleRequest.newBuilder().setCount(16).setSeed(42).build());
    assertThat(r.getImages().getShapeList()).containsExactly(16L, 1L, 28L, 28L);
    assertThat(r.getImages().getData().size()).isEqualTo(16 * 784 * 4);
    assertThat(r.getModelVersion()).isNotEmpty();
  }

  @Test
  void outOfRangeCountIsInvalidArgumentWithItsMessage() {
    assertThatThrownBy(() -> SamplingServiceGrpc.newBlockingStub(channel)
        .sample(SampleRequest.newBuilder().setCount(-3).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains("between 1 and 256").contains("-3");
        });
  }

  @Test
  void answersTheStandardHealthCheckByServiceName() {
    HealthCheckResponse r = HealthGrpc.newBlockingStub(channel)
        .check(HealthCheckRequest.newBuilder().setService("gan.v1.SamplingService").build());
    assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
  }
}
