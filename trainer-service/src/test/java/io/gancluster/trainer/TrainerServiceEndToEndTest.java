package io.gancluster.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.gancluster.core.checkpoint.CheckpointStore;
import io.gancluster.core.model.recipe.Presets;
import io.gancluster.runtime.rpc.Blocking;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.proto.v1.StatusRequest;
import io.gancluster.client.Retry;
import io.gancluster.proto.v1.TrainerServiceGrpcClient;
import io.gancluster.proto.v1.TrainingState;
import io.gancluster.proto.v1.TrainingStatus;
import io.gancluster.trainer.run.RunConfig;
import io.gancluster.trainer.run.TrainingRun;
import io.gancluster.trainer.service.TrainerOptions;
import io.gancluster.trainer.service.TrainerVerticle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** trainer-service drives generator- and discriminator-service over gRPC and leaves a complete run folder. */
class TrainerServiceEndToEndTest {
  @TempDir
  Path runDir;

  @Test
  void trainsOverGrpcAndWritesCheckpointLossesAndSamples() throws Exception {
    try (LoopbackCluster cluster = new LoopbackCluster(Presets.get("tiny"), 4)) {
      TrainerVerticle trainer = new TrainerVerticle(new TrainerOptions().setPort(0)
          .setGenerator(cluster.generatorAddress()).setDiscriminator(cluster.discriminatorAddress())
          .setRun(new RunConfig("tiny", "mnist", 4, runDir, 5, 0, 1)));
      Blocking.await(cluster.vertx.deployVerticle(trainer), Duration.ofMinutes(1));

      TrainingRun.Outcome outcome = trainer.controller().finished().get(2, TimeUnit.MINUTES);
      assertThat(outcome.reason()).isEqualTo(TrainingRun.Outcome.Reason.COMPLETED);
      assertThat(outcome.step()).isEqualTo(5);

      TrainingStatus status = Blocking.await(cluster.client.unary(new HostPort("127.0.0.1", trainer.actualPort()).socketAddress(), TrainerServiceGrpcClient.Status,
          StatusRequest.getDefaultInstance(), 10_000), Duration.ofSeconds(20));
      assertThat(status.getState()).isEqualTo(TrainingState.TRAINING_STATE_FINISHED);
      assertThat(status.getStep()).isEqualTo(5);
      assertThat(status.getLastCheckpoint()).contains("checkpoint-000000005.zip");

      assertThat(CheckpointStore.read(Path.of(status.getLastCheckpoint())).step()).isEqualTo(5);
      assertThat(Files.readAllLines(runDir.resolve("losses.csv"))).hasSize(6);
      assertThat(runDir.resolve("samples/step-000000.png")).exists();
      assertThat(runDir.resolve("samples/latest.png")).exists();
    }
  }

  @Test
  void aDiscriminatorThatIsDownFailsTheRunNamingItAndWritesNoCheckpoint() throws Exception {
    try (LoopbackCluster cluster = new LoopbackCluster(Presets.get("tiny"), 4)) {
      HostPort nobody = new HostPort("127.0.0.1", freePort());
      TrainerVerticle trainer = new TrainerVerticle(new TrainerOptions().setPort(0)
          .setGenerator(cluster.generatorAddress()).setDiscriminator(nobody)
          .setRetry(new Retry(3, Duration.ofMillis(20), Duration.ofMillis(50)))
          .setRun(new RunConfig("tiny", "mnist", 4, runDir, 5, 0, 1)));
      Blocking.await(cluster.vertx.deployVerticle(trainer), Duration.ofMinutes(1));

      TrainingRun.Outcome outcome = trainer.controller().finished().get(2, TimeUnit.MINUTES);
      assertThat(outcome.reason()).isEqualTo(TrainingRun.Outcome.Reason.FAILED);
      assertThat(outcome.message()).contains("discriminator-service at " + nobody).contains("after 3 attempt(s)");
      assertThat(runDir.resolve("checkpoints")).doesNotExist();
    }
  }

  private static int freePort() throws Exception {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
