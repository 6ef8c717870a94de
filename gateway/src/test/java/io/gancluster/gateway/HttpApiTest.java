package io.gancluster.gateway;

import static io.gancluster.gateway.TestSupport.await;
import static io.gancluster.gateway.TestSupport.sample;
import static org.assertj.core.api.Assertions.assertThat;

import io.gancluster.core.model.recipe.Presets;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.generator.GeneratorVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP API over loopback, against a real tiny generator (or a closed port). */
class HttpApiTest {
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private Vertx vertx;
  private WebClient web;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    web = WebClient.create(vertx);
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
  }

  private int gatewayWithGenerator() throws Exception {
    GeneratorVerticle generator = GeneratorVerticle.forPreset(Presets.get("tiny"), 11, 0);
    await(vertx.deployVerticle(generator));
    return gateway(new HostPort("127.0.0.1", generator.actualPort()));
  }

  private int gateway(HostPort generator) throws Exception {
    GatewayVerticle gateway = new GatewayVerticle(new GatewayOptions().setHttpPort(0).setGrpcPort(0)
        .setGenerator(generator));
    await(vertx.deployVerticle(gateway));
    return gateway.actualHttpPort();
  }

  private HttpResponse<Buffer> get(int port, String uri) throws Exception {
    return await(web.get(port, "127.0.0.1", uri).send());
  }

  @Test
  void samplesArePngGridsThatDependOnlyOnCountAndSeed() throws Exception {
    int port = gatewayWithGenerator();

    HttpResponse<Buffer> first = get(port, "/api/v1/samples.png?count=9&seed=5");
    HttpResponse<Buffer> again = get(port, "/api/v1/samples.png?count=9&seed=5");
    HttpResponse<Buffer> other = get(port, "/api/v1/samples.png?count=9&seed=6");

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.getHeader("Content-Type")).isEqualTo("image/png");
    assertThat(first.getHeader("X-Model-Version")).isNotBlank();
    byte[] png = first.body().getBytes();
    assertThat(Arrays.copyOf(png, PNG_SIGNATURE.length)).isEqualTo(PNG_SIGNATURE);
    assertThat(again.body().getBytes()).isEqualTo(png);
    assertThat(other.statusCode()).isEqualTo(200);
    assertThat(other.body().getBytes()).isNotEqualTo(png);
    assertThat(get(port, "/api/v1/samples.png").statusCode()).as("count and seed have defaults").isEqualTo(200);
  }

  @Test
  void badCountsAre400WithTheLimit() throws Exception {
    int port = gatewayWithGenerator();

    for (String count : new String[] {"0", "abc", "100000"}) {
      HttpResponse<Buffer> resp = get(port, "/api/v1/samples.png?count=" + count);
      assertThat(resp.statusCode()).as("count=%s", count).isEqualTo(400);
      assertThat(resp.getHeader("Content-Type")).startsWith("text/plain");
      assertThat(resp.bodyAsString())
          .contains("count must be an integer between 1 and 256")
          .contains("'" + count + "'");
    }
    HttpResponse<Buffer> badSeed = get(port, "/api/v1/samples.png?seed=x");
    assertThat(badSeed.statusCode()).isEqualTo(400);
    assertThat(badSeed.bodyAsString()).contains("seed must be");
  }

  @Test
  void metricsHealthIndexAndNotFound() throws Exception {
    int port = gatewayWithGenerator();
    assertThat(get(port, "/api/v1/samples.png?count=4&seed=1").statusCode()).isEqualTo(200);

    HttpResponse<Buffer> metrics = get(port, "/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.getHeader("Content-Type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    assertThat(sample(metrics.bodyAsString(), "gan_sampling_images_total")).isEqualTo(4);
    assertThat(metrics.bodyAsString()).contains("gan_sampling_request_seconds_bucket{api=\"http\",outcome=\"ok\"");

    HttpResponse<Buffer> health = get(port, "/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.getHeader("Content-Type")).startsWith("application/json");
    assertThat(new JsonObject(health.body()).getMap())
        .containsEntry("status", "UP").containsEntry("generator", "UP").containsEntry("trainer", "NONE");

    HttpResponse<Buffer> index = get(port, "/");
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.getHeader("Content-Type")).startsWith("text/html");
    assertThat(index.bodyAsString()).contains("id=\"sample-form\"").contains("src=\"/api/v1/training/chart.png\"")
        .contains("href=\"/metrics\"").contains("href=\"/health\"");
    HttpResponse<Buffer> training = get(port, "/api/v1/training");
    assertThat(training.statusCode()).isEqualTo(200);
    assertThat(training.bodyAsJsonObject().getString("state")).isEqualTo("UNKNOWN"); // no trainer in this test
    HttpResponse<Buffer> chart = get(port, "/api/v1/training/chart.png");
    assertThat(chart.getHeader("Content-Type")).isEqualTo("image/png");
    assertThat(chart.body().getBytes(0, 4)).containsExactly(0x89, 'P', 'N', 'G');

    assertThat(get(port, "/nope").statusCode()).isEqualTo(404);
    HttpResponse<Buffer> post = await(web.post(port, "127.0.0.1", "/api/v1/samples.png").sendBuffer(Buffer.buffer("x")));
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.getHeader("Allow")).isEqualTo("GET");
    assertThat(post.bodyAsString()).isEqualTo("method not allowed: POST /api/v1/samples.png answers GET only "
        + "(every route: /api/v1/openapi.json)\n");
  }

  @Test
  void generatorDownIs503AndHealthSaysSo() throws Exception {
    HostPort down = new HostPort("127.0.0.1", TestSupport.closedPort());
    int port = gateway(down);

    HttpResponse<Buffer> resp = get(port, "/api/v1/samples.png?count=4");
    assertThat(resp.statusCode()).isEqualTo(503);
    assertThat(resp.bodyAsString()).contains(down.toString());

    JsonObject health = new JsonObject(get(port, "/health").body());
    assertThat(health.getString("status")).isEqualTo("UP");
    assertThat(health.getString("generator")).isEqualTo("DOWN");
    assertThat(health.getJsonObject("errors").getString("generator")).contains(down.toString());
  }
}
