package io.gancluster.generator;

import io.gancluster.client.RpcClient;
import io.gancluster.client.GeneratorClient;

import static org.assertj.core.api.Assertions.assertThat;

import io.gancluster.core.compute.ComputeDevice;
import io.gancluster.core.model.recipe.Presets;
import io.gancluster.runtime.rpc.Blocking;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.runtime.networkservice.NetworkServiceOptions;
import io.gancluster.proto.v1.DescribeRequest;
import io.gancluster.proto.v1.NetworkInfo;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A generator-service running alone says where it computes: in NetworkInfo and on its own /metrics. */
class ComputeReportTest {
  static Vertx vertx;
  static GeneratorVerticle service;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    service = new GeneratorVerticle(NetworkServiceOptions.forGenerator(Presets.get("tiny"), 1).setPort(0)
        .setMetricsPort(0));
    Blocking.await(vertx.deployVerticle(service), Duration.ofMinutes(1));
  }

  @AfterAll
  static void stop() {
    Blocking.await(vertx.close(), Duration.ofSeconds(30));
  }

  @Test
  void networkInfoCarriesTheBackendAndDevice() {
    GeneratorClient client = new GeneratorClient(RpcClient.plain(vertx),
        new HostPort("127.0.0.1", service.actualPort()));
    NetworkInfo info = Blocking.await(client.describe(DescribeRequest.getDefaultInstance()), Duration.ofSeconds(30));
    ComputeDevice here = ComputeDevice.current();
    assertThat(info.getCompute().getBackend()).isEqualTo(here.backend());
    assertThat(info.getCompute().getDevice()).isEqualTo(here.device());
    assertThat(info.getCompute().getMemoryBytes()).isPositive();
  }

  @Test
  void itsOwnMetricsEndpointExportsTheComputeInfo() {
    assertThat(service.metricsPort()).isPositive();
    String body = get("/metrics");
    ComputeDevice here = ComputeDevice.current();
    assertThat(body).contains("gan_compute_info{backend=\"" + here.backend() + "\",device=\"" + here.device()
        + "\",service=\"generator\"} 1");
    assertThat(body).contains("jvm_memory_used_bytes");
    assertThat(get("/elsewhere")).contains("only /metrics");
  }

  private static String get(String path) {
    return Blocking.await(vertx.createHttpClient()
        .request(HttpMethod.GET, service.metricsPort(), "127.0.0.1", path)
        .compose(req -> req.send().compose(HttpClientResponse::body))
        .map(Buffer::toString), Duration.ofSeconds(30));
  }
}
