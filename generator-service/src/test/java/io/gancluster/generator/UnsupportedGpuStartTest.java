package io.gancluster.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gancluster.client.RpcClient;
import io.gancluster.core.compute.ComputeCapability;
import io.gancluster.core.compute.ComputeDevice;
import io.gancluster.core.compute.UnsupportedGpuException;
import io.gancluster.core.model.recipe.Presets;
import io.gancluster.generator.serving.ServingOptions;
import io.gancluster.generator.serving.ServingVerticle;
import io.gancluster.runtime.networkservice.NetworkServiceOptions;
import io.gancluster.runtime.rpc.Blocking;
import io.gancluster.runtime.rpc.HostPort;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.health.v1.HealthCheckResponse;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The services check the GPU before anything else, on a fake device report (no GPU needed): on one the
 * ND4J build has no code for, deployment fails with the refusal line before a network is built or a
 * port opens, so no health check can ever say SERVING.
 */
class UnsupportedGpuStartTest {
  static final ComputeDevice H100 = gpu("NVIDIA H100 80GB HBM3", 9, 0);
  static final ComputeDevice A100 = gpu("NVIDIA A100-SXM4-40GB", 8, 0);

  private static final ServiceMethod<HealthCheckResponse, HealthCheckRequest> HEALTH_CHECK = ServiceMethod.client(
      ServiceName.create("grpc.health.v1", "Health"), "Check", GrpcMessageEncoder.encoder(),
      GrpcMessageDecoder.decoder(HealthCheckResponse.newBuilder()));

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    Blocking.await(vertx.close(), Duration.ofSeconds(30));
  }

  @Test
  void onAnH100TheGeneratorServiceRefusesToStartAndNeverServes() throws IOException {
    int port = freePort();
    GeneratorVerticle service = new GeneratorVerticle(NetworkServiceOptions.forGenerator(Presets.get("tiny"), 1)
        .setPort(port).setComputeDevice(() -> H100));

    assertThatThrownBy(() -> Blocking.await(vertx.deployVerticle(service), Duration.ofSeconds(30)))
        .isInstanceOf(UnsupportedGpuException.class)
        .hasMessage("NVIDIA H100 80GB HBM3 (compute capability 9.0) is not supported by this ND4J CUDA build: it has "
            + "GPU code for compute capability 3.7 to 8.x only (SASS sm_37 sm_50 sm_52 sm_60 sm_61 sm_70 sm_75 sm_80 "
            + "sm_86, no PTX); see docs/cuda.md");
    assertThat(health(port).failed()).as("nothing listens on the service's port").isTrue();
  }

  @Test
  void onAnH100AServingReplicaRefusesBeforeItsServerIsUpOrItAsksForAModel() throws IOException {
    int port = freePort();
    ServingVerticle replica = new ServingVerticle(new ServingOptions().setPort(port).setComputeDevice(() -> H100),
        v -> {
          throw new AssertionError("the checkpoint source is made after the device check");
        });

    assertThatThrownBy(() -> Blocking.await(vertx.deployVerticle(replica), Duration.ofSeconds(30)))
        .isInstanceOf(UnsupportedGpuException.class).hasMessageStartingWith("NVIDIA H100 80GB HBM3 (compute capability 9.0)");
    assertThat(health(port).failed()).as("nothing listens on the replica's port").isTrue();
  }

  @Test
  void onAnA100TheGeneratorServiceStartsAndServes() {
    GeneratorVerticle service = new GeneratorVerticle(NetworkServiceOptions.forGenerator(Presets.get("tiny"), 1)
        .setPort(0).setComputeDevice(() -> A100));

    Blocking.await(vertx.deployVerticle(service), Duration.ofMinutes(1));

    Future<HealthCheckResponse> health = health(service.actualPort());
    assertThat(Blocking.await(health, Duration.ofSeconds(30)).getStatus())
        .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
  }

  private Future<HealthCheckResponse> health(int port) {
    HealthCheckRequest request = HealthCheckRequest.newBuilder()
        .setService(GeneratorGrpcService.SERVICE_NAME.fullyQualifiedName()).build();
    Future<HealthCheckResponse> f = RpcClient.plain(vertx).unary(new HostPort("127.0.0.1", port).socketAddress(),
        HEALTH_CHECK, request, 5_000);
    try {
      Blocking.await(f, Duration.ofSeconds(10));
    } catch (RuntimeException e) {
      // the caller looks at the outcome
    }
    return f;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static ComputeDevice gpu(String name, int major, int minor) {
    return new ComputeDevice(ComputeDevice.CUDA, name, 80L << 30, "device 0 of 1, compute capability " + major + "."
        + minor, new ComputeCapability(major, minor));
  }
}
