package io.gancluster.gateway;

import static io.gancluster.gateway.TestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.gancluster.core.model.recipe.Presets;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.generator.GeneratorVerticle;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The JDK's HttpClient with its defaults (HTTP/2 by h2c upgrade on the first request) gets answers,
 * images first: session 3 saw such a request hang once in one JVM; this pins that it does not.
 */
class Http2ClientTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  @Test
  void theJdkClientsDefaultHttp2UpgradeIsAnsweredForImagesAndHealth() throws Exception {
    GeneratorVerticle g = GeneratorVerticle.forPreset(Presets.get("tiny"), 1, 0);
    await(vertx.deployVerticle(g));
    GatewayVerticle gw = new GatewayVerticle(new GatewayOptions().setHttpPort(0).setGrpcPort(0)
        .setGenerator(new HostPort("127.0.0.1", g.actualPort())));
    await(vertx.deployVerticle(gw));
    HttpClient client = HttpClient.newHttpClient(); // HTTP/2 preferred: upgrades from HTTP/1.1 (h2c)
    for (String path : new String[] {"/api/v1/samples.png?count=16&seed=42", "/api/v1/samples.png?count=4&seed=1",
        "/health"}) {
      HttpResponse<byte[]> r = client.sendAsync(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + gw.actualHttpPort() + path)).build(), HttpResponse.BodyHandlers.ofByteArray())
          .get(20, TimeUnit.SECONDS);
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.version()).as(path).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(r.body()).isNotEmpty();
    }
  }
}
