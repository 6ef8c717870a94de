package io.gancluster.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.gancluster.core.model.recipe.Presets;
import io.gancluster.runtime.rpc.Blocking;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.runtime.networkservice.NetworkServiceOptions;
import io.gancluster.client.RpcClient;
import io.gancluster.runtime.rpc.RpcException;
import io.gancluster.runtime.security.Security;
import io.gancluster.discriminator.DiscriminatorVerticle;
import io.gancluster.gateway.GatewayOptions;
import io.gancluster.gateway.GatewayVerticle;
import io.gancluster.generator.GeneratorVerticle;
import io.gancluster.proto.v1.ExportStateRequest;
import io.gancluster.proto.v1.GeneratorServiceGrpcClient;
import io.gancluster.proto.v1.NetworkStateBlob;
import io.gancluster.proto.v1.SampleRequest;
import io.gancluster.proto.v1.SamplingServiceGrpcClient;
import io.gancluster.proto.v1.StartTrainingRequest;
import io.gancluster.proto.v1.StatusRequest;
import io.gancluster.proto.v1.TrainerServiceGrpcClient;
import io.gancluster.trainer.run.RunConfig;
import io.gancluster.trainer.run.TrainingRun;
import io.gancluster.trainer.service.TrainerOptions;
import io.gancluster.trainer.service.TrainerVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster with a control token, a sampling token and TLS: the trainer's own calls carry the token
 * over TLS and train; callers without the right token get UNAUTHENTICATED (HTTP 401), whatever the
 * method; health stays open; a plain-TCP client cannot talk to it at all.
 */
class AccessControlTest {
  static final String CONTROL = "control-secret-7f3a";
  static final String SAMPLING = "sampling-secret-91bc";

  @TempDir
  Path tmp;

  private Vertx vertx;

  @AfterEach
  void reset() {
    if (vertx != null) {
      Blocking.await(vertx.close(), Duration.ofSeconds(30));
    }
  }

  @Test
  void tokensGuardControlAndSamplingOverTlsAndTheClusterStillTrains() throws Exception {
    Path p12 = TestCertificates.keystore(tmp);
    Security server = Security.of(CONTROL, SAMPLING, TestCertificates.tls(p12));
    vertx = Vertx.vertx();
    var tiny = Presets.get("tiny");
    DiscriminatorVerticle d = deploy(new DiscriminatorVerticle(NetworkServiceOptions.forDiscriminator(tiny, 3).setPort(0).setSecurity(server)));
    GeneratorVerticle g = deploy(new GeneratorVerticle(NetworkServiceOptions.forGenerator(tiny, 3).setPort(0).setSecurity(server)));
    TrainerVerticle trainer = deploy(new TrainerVerticle(new TrainerOptions().setPort(0)
        .setGenerator(new HostPort("127.0.0.1", g.actualPort())).setDiscriminator(new HostPort("127.0.0.1", d.actualPort()))
        .setRun(new RunConfig("tiny", "mnist", 3, tmp.resolve("run"), 10, 0, 10)).setSecurity(server)));
    GatewayVerticle gateway = deploy(new GatewayVerticle(new GatewayOptions().setHttpPort(0).setGrpcPort(0)
        .setGenerator(new HostPort("127.0.0.1", g.actualPort())).setSecurity(server)));
    TrainingRun.Outcome outcome = trainer.controller().finished().get(3, TimeUnit.MINUTES);
    assertThat(outcome.reason()).as("the trainer's own calls carry the token over TLS")
        .isEqualTo(TrainingRun.Outcome.Reason.COMPLETED);

    SocketAddress trainerAddr = SocketAddress.inetSocketAddress(trainer.actualPort(), "127.0.0.1");
    SocketAddress genAddr = SocketAddress.inetSocketAddress(g.actualPort(), "127.0.0.1");
    SocketAddress gwAddr = SocketAddress.inetSocketAddress(gateway.actualGrpcPort(), "127.0.0.1");

    // a caller with TLS but no token: control refused, status and health open
    RpcClient anonymous = RpcClient.create(vertx, Security.of(null, null, TestCertificates.tls(p12)));
    assertUnauthenticated(anonymous.unary(trainerAddr, TrainerServiceGrpcClient.Start,
        StartTrainingRequest.getDefaultInstance(), 10_000));
    assertUnauthenticated(anonymous.unary(genAddr, GeneratorServiceGrpcClient.ExportState,
        ExportStateRequest.getDefaultInstance(), 10_000));
    assertUnauthenticated(anonymous.unary(genAddr, GeneratorServiceGrpcClient.ImportState,
        NetworkStateBlob.getDefaultInstance(), 10_000));
    assertUnauthenticated(anonymous.unary(gwAddr, SamplingServiceGrpcClient.Sample,
        SampleRequest.newBuilder().setCount(2).build(), 10_000));
    assertThat(await(anonymous.unary(trainerAddr, TrainerServiceGrpcClient.Status,
        StatusRequest.getDefaultInstance(), 10_000)).getStep()).isEqualTo(10);

    // a caller with the wrong control token, and one with only the sampling token
    RpcClient wrong = RpcClient.create(vertx, Security.of("wrong-token", null, TestCertificates.tls(p12)));
    assertUnauthenticated(wrong.unary(trainerAddr, TrainerServiceGrpcClient.Start,
        StartTrainingRequest.getDefaultInstance(), 10_000));
    // sends the sampling token
    RpcClient sampler = RpcClient.create(vertx, Security.of(SAMPLING, null, TestCertificates.tls(p12)));
    assertThat(await(sampler.unary(gwAddr, SamplingServiceGrpcClient.Sample,
        SampleRequest.newBuilder().setCount(2).setSeed(1).build(), 10_000)).getImages().getShape(0)).isEqualTo(2);
    assertUnauthenticated(sampler.unary(genAddr, GeneratorServiceGrpcClient.ExportState,
        ExportStateRequest.getDefaultInstance(), 10_000));

    // the right control token may do anything
    RpcClient operator = RpcClient.create(vertx, server);
    assertThat(await(operator.unary(genAddr, GeneratorServiceGrpcClient.ExportState,
        ExportStateRequest.getDefaultInstance(), 10_000)).getUpdates()).isEqualTo(10);

    // plain TCP against the TLS server gets nowhere
    Throwable plain = failure(RpcClient.plain(vertx).unary(trainerAddr, TrainerServiceGrpcClient.Status,
        StatusRequest.getDefaultInstance(), 5_000));
    assertThat(plain).isInstanceOf(RpcException.class);

    // HTTP: https only, 401 without the sampling token, health open
    WebClient https = WebClient.create(vertx, new WebClientOptions().setSsl(true).setTrustOptions(
        new io.vertx.core.net.PfxOptions().setPath(p12.toString()).setPassword(TestCertificates.PASSWORD)));
    int http = gateway.actualHttpPort();
    HttpResponse<Buffer> refused = await(https.request(HttpMethod.GET, http, "127.0.0.1",
        "/api/v1/samples.png?count=4&seed=1").send());
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.bodyAsString()).contains("bearer token");
    HttpResponse<Buffer> wrongHttp = await(https.request(HttpMethod.GET, http, "127.0.0.1",
        "/api/v1/samples.png?count=4&seed=1").putHeader("Authorization", "Bearer nope").send());
    assertThat(wrongHttp.statusCode()).isEqualTo(401);
    HttpResponse<Buffer> ok = await(https.request(HttpMethod.GET, http, "127.0.0.1",
        "/api/v1/samples.png?count=4&seed=1").putHeader("Authorization", "Bearer " + SAMPLING).send());
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.getHeader("Content-Type")).isEqualTo("image/png");
    assertThat(await(https.request(HttpMethod.GET, http, "127.0.0.1", "/health").send()).statusCode()).isEqualTo(200);

    assertThat(server.toString()).doesNotContain(CONTROL).doesNotContain(SAMPLING);
  }

  private <T extends io.vertx.core.Deployable> T deploy(T verticle) {
    Blocking.await(vertx.deployVerticle(verticle), Duration.ofMinutes(1));
    return verticle;
  }

  private static <T> T await(Future<T> f) {
    return Blocking.await(f, Duration.ofSeconds(30));
  }

  private static Throwable failure(Future<?> f) throws Exception {
    try {
      f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure");
  }

  private static void assertUnauthenticated(Future<?> call) throws Exception {
    Throwable t = failure(call);
    assertThat(t).isInstanceOf(RpcException.class);
    assertThat(((RpcException) t).status()).as(t.getMessage()).isEqualTo(GrpcStatus.UNAUTHENTICATED);
    assertThat(t.getMessage()).contains("bearer token");
  }
}
