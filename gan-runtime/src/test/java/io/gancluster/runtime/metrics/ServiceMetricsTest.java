package io.gancluster.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.gancluster.core.compute.ComputeDevice;
import io.gancluster.runtime.rpc.Blocking;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServiceMetricsTest {
  static final ComputeDevice CPU = new ComputeDevice("cpu", "host", 1L << 30, "");

  @Test
  void aServiceEndpointServesComputeAndJvmMetersAndOnlyThat() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      ServiceMetrics m = Blocking.await(ServiceMetrics.serve(vertx, "generator", CPU, "127.0.0.1", 0),
          Duration.ofSeconds(30));
      HttpResponse<String> scrape = get(m.actualPort(), "/metrics");
      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
      assertThat(scrape.body()).contains("gan_compute_info{backend=\"cpu\",device=\"host\",service=\"generator\"} 1")
          .contains("jvm_memory_used_bytes").doesNotContain("vertx_");
      HttpResponse<String> elsewhere = get(m.actualPort(), "/other");
      assertThat(elsewhere.statusCode()).isEqualTo(404);
      assertThat(elsewhere.body()).contains("only /metrics");
      assertThat(ServiceMetrics.vertxRegistry(vertx)).isNull();
    } finally {
      Blocking.await(vertx.close(), Duration.ofSeconds(30));
    }
  }

  @Test
  void aVertxBuiltWithItsMetersAddsThemToTheSameScrape() throws Exception {
    Vertx vertx = Vertx.vertx(ServiceMetrics.withVertxMeters(new VertxOptions()));
    try {
      assertThat(ServiceMetrics.vertxRegistry(vertx)).isNotNull();
      ServiceMetrics m = Blocking.await(ServiceMetrics.serve(vertx, "generator", CPU, "127.0.0.1", 0),
          Duration.ofSeconds(30));
      assertThat(m.registry()).isSameAs(ServiceMetrics.vertxRegistry(vertx));
      get(m.actualPort(), "/metrics");
      String scrape = get(m.actualPort(), "/metrics").body();
      assertThat(scrape).contains("gan_compute_info{").contains("jvm_memory_used_bytes")
          .containsPattern("(?m)^vertx_http_server_requests_total\\{.*\\} [1-9]");
    } finally {
      Blocking.await(vertx.close(), Duration.ofSeconds(30));
    }
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
