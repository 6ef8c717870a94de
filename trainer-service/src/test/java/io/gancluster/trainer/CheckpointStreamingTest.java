package io.gancluster.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.gancluster.core.checkpoint.CheckpointStore;
import io.gancluster.core.model.recipe.Presets;
import io.gancluster.runtime.rpc.Blocking;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.runtime.rpc.RpcException;
import io.gancluster.client.GeneratorClient;
import io.gancluster.generator.GeneratorTrainer;
import io.gancluster.generator.serving.ServingOptions;
import io.gancluster.generator.serving.ServingVerticle;
import io.gancluster.generator.serving.TrainerCheckpointSource;
import io.gancluster.proto.v1.GenerateRequest;
import io.gancluster.proto.v1.GeneratorSampleRequest;
import io.gancluster.proto.v1.GeneratorSampleResponse;
import io.gancluster.runtime.tensor.TensorCodec;
import io.gancluster.trainer.run.RunConfig;
import io.gancluster.trainer.service.TrainerOptions;
import io.gancluster.trainer.service.TrainerVerticle;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A serving replica follows a training run with no shared disk: each checkpoint the trainer writes is
 * announced on the event bus, streamed over gRPC (FetchCheckpoint), checksum-verified and swapped in.
 */
class CheckpointStreamingTest {
  @TempDir
  Path runDir;

  @Test
  void aServingReplicaStreamsEachPublishedCheckpointAndEndsOnTheLast() throws Exception {
    try (LoopbackCluster cluster = new LoopbackCluster(Presets.get("tiny"), 4)) {
      TrainerVerticle trainer = new TrainerVerticle(new TrainerOptions().setPort(0)
          .setGenerator(cluster.generatorAddress()).setDiscriminator(cluster.discriminatorAddress())
          .setRun(new RunConfig("tiny", "mnist", 4, runDir, 40, 0, 10)).setAutoStart(false));
      Blocking.await(cluster.vertx.deployVerticle(trainer), Duration.ofMinutes(1));
      HostPort trainerAddress = new HostPort("127.0.0.1", trainer.actualPort());
      TrainerCheckpointSource source = new TrainerCheckpointSource(cluster.client, trainerAddress);
      ServingVerticle replica = new ServingVerticle(new ServingOptions().setPort(0).setPollMs(60_000),
          v -> source);
      Blocking.await(cluster.vertx.deployVerticle(replica), Duration.ofMinutes(1));
      assertThat(replica.model()).as("nothing published yet").isNull();

      trainer.controller().start();
      trainer.controller().finished().get(3, TimeUnit.MINUTES);
      Path last = trainer.controller().run().lastCheckpoint();
      String lastVersion = runDir.getFileName() + "/checkpoint-000000040";
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while ((replica.model() == null || !replica.model().version().equals(lastVersion)) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(replica.model().version()).isEqualTo(lastVersion);
      assertThat(replica.reloader().served()).as("versions served, in order").hasSizeGreaterThanOrEqualTo(2)
          .endsWith(lastVersion).allMatch(v -> v.startsWith(runDir.getFileName() + "/checkpoint-"));
      assertThat(replica.reloader().refused()).isEmpty();

      // the replica's images are the checkpoint's generator's, bit for bit
      GeneratorClient client = new GeneratorClient(cluster.client, new HostPort("127.0.0.1", replica.actualPort()));
      GeneratorSampleResponse served = Blocking.await(client.sample(GeneratorSampleRequest.newBuilder().setCount(6).setSeed(42).build()),
          Duration.ofSeconds(30));
      GeneratorTrainer fromDisk = new GeneratorTrainer(Presets.get("tiny"), DataType.FLOAT, 0);
      fromDisk.importState(CheckpointStore.read(last).generatorState());
      assertThat(served.getModelVersion()).isEqualTo(lastVersion);
      assertThat(TensorCodec.decode(served.getImages(), "images", new long[] {6, 1, 28, 28}, 6).data().asFloat())
          .containsExactly(fromDisk.sample(6, 42).data().asFloat());

      // a serving replica refuses training calls
      Throwable training = failure(client.generate(GenerateRequest.getDefaultInstance()));
      assertThat(((RpcException) training).status()).isEqualTo(GrpcStatus.FAILED_PRECONDITION);

      // only published versions stream: a path is not a version
      for (String name : new String[] {"../../../../etc/passwd", last.toString(), runDir.getFileName() + "/nope"}) {
        Throwable refused = failure(source.fetch(name));
        assertThat(((RpcException) refused).status()).as(name).isEqualTo(GrpcStatus.NOT_FOUND);
        assertThat(refused.getMessage()).contains("not published by this trainer");
      }
    }
  }

  private static Throwable failure(io.vertx.core.Future<?> f) throws InterruptedException {
    try {
      f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected a failure");
  }
}
