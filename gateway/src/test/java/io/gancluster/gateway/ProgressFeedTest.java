package io.gancluster.gateway;

import io.gancluster.runtime.security.Security;

import static io.gancluster.gateway.TestSupport.await;
import static io.gancluster.gateway.TestSupport.eventually;
import static io.gancluster.gateway.TestSupport.sample;
import static org.assertj.core.api.Assertions.assertThat;

import io.gancluster.runtime.rpc.GrpcEndpoints;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.proto.v1.ProgressEvent;
import io.gancluster.proto.v1.TrainerServiceGrpcService;
import io.gancluster.proto.v1.TrainingState;
import io.gancluster.proto.v1.WatchProgressRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.grpc.health.HealthService;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gateway watching a stand-in trainer that starts late, goes away and comes back. */
class ProgressFeedTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
  }

  /**
   * A trainer that only streams the events a test hands it (and answers gRPC health). It serves
   * WatchProgress with a raw call handler because only the request sees a client's cancel (its
   * errorHandler gets CANCELLED); the response's exceptionHandler fires on a closed connection only.
   */
  static final class FakeTrainer {
    final List<GrpcServerResponse<WatchProgressRequest, ProgressEvent>> watchers = new CopyOnWriteArrayList<>();
    final AtomicInteger cancelledByClient = new AtomicInteger();
    volatile Context context;
    HttpServer server;

    static FakeTrainer listen(Vertx vertx, int port) throws Exception {
      FakeTrainer trainer = new FakeTrainer();
      HealthService health = HealthService.create(vertx)
          .register(TrainerServiceGrpcService.SERVICE_NAME, () -> Future.succeededFuture(true));
      GrpcServer grpc = GrpcEndpoints.server(vertx, List.of(health));
      grpc.callHandler(TrainerServiceGrpcService.WatchProgress, req -> {
        trainer.context = Vertx.currentContext();
        GrpcServerResponse<WatchProgressRequest, ProgressEvent> response = req.response();
        trainer.watchers.add(response);
        req.errorHandler(err -> {
          trainer.watchers.remove(response);
          trainer.cancelledByClient.incrementAndGet();
        });
        response.exceptionHandler(err -> trainer.watchers.remove(response));
      });
      trainer.server = await(GrpcEndpoints.listen(vertx, grpc, "127.0.0.1", port, Security.NONE));
      return trainer;
    }

    void emit(ProgressEvent event) {
      context.runOnContext(v -> watchers.forEach(w -> w.write(event)));
    }
  }

  private static ProgressEvent step(long step, double dLoss) {
    return ProgressEvent.newBuilder().setStep(step).setDLoss(dLoss).setGLoss(2).setStepSeconds(0.01)
        .setState(TrainingState.TRAINING_STATE_RUNNING).setMaxSteps(10).build();
  }

  @Test
  void feedsMetricsAndResubscribesWithoutDoubleCounting() throws Exception {
    int trainerPort = TestSupport.closedPort();
    GatewayVerticle gateway = new GatewayVerticle(new GatewayOptions().setHttpPort(0).setGrpcPort(0)
        .setGenerator(new HostPort("127.0.0.1", TestSupport.closedPort()))
        .setTrainer(new HostPort("127.0.0.1", trainerPort)));
    String deployment = await(vertx.deployVerticle(gateway));
    WebClient web = WebClient.create(vertx);

    // the trainer comes up after the gateway: the feed's back-off finds it
    FakeTrainer trainer = FakeTrainer.listen(vertx, trainerPort);
    eventually(() -> trainer.watchers.size() == 1, WAIT, "gateway subscribes to WatchProgress");
    trainer.emit(step(1, 1.5));
    trainer.emit(step(2, 0.25));
    eventually(() -> sample(gateway.metrics().scrape(), "gan_training_steps_total") == 2, WAIT, "two steps counted");
    assertThat(sample(gateway.metrics().scrape(), "gan_loss{network=\"discriminator\"}")).isEqualTo(0.25);
    JsonObject health = new JsonObject(await(web.get(gateway.actualHttpPort(), "127.0.0.1", "/health").send()).body());
    assertThat(health.getString("trainer")).isEqualTo("UP");

    // the trainer restarts: the feed comes back and a repeated step is not counted twice
    await(trainer.server.close());
    FakeTrainer restarted = FakeTrainer.listen(vertx, trainerPort);
    eventually(() -> restarted.watchers.size() == 1, WAIT, "gateway re-subscribes after the trainer restarts");
    restarted.emit(ProgressEvent.newBuilder().setStep(2).setState(TrainingState.TRAINING_STATE_RUNNING).build());
    restarted.emit(step(3, 0.5));
    eventually(() -> sample(gateway.metrics().scrape(), "gan_loss{network=\"discriminator\"}") == 0.5, WAIT,
        "third step recorded");
    assertThat(sample(gateway.metrics().scrape(), "gan_training_steps_total")).isEqualTo(3);

    // undeploying the gateway closes its stream
    await(vertx.undeploy(deployment));
    eventually(() -> restarted.cancelledByClient.get() == 1 && restarted.watchers.isEmpty(), WAIT,
        "the gateway cancels its stream when it stops");
  }
}
