package io.gancluster.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.gancluster.core.checkpoint.CheckpointStore;
import io.gancluster.runtime.rpc.Blocking;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.client.RpcClient;
import io.gancluster.proto.v1.DescribeRequest;
import io.gancluster.proto.v1.DiscriminatorServiceGrpcClient;
import io.gancluster.proto.v1.GeneratorServiceGrpcClient;
import io.gancluster.proto.v1.StatusRequest;
import io.gancluster.proto.v1.TrainerServiceGrpcClient;
import io.gancluster.proto.v1.TrainingStatus;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Processes die mid-run and come back; training ends where it would have without them. The
 * discriminator, then the training generator, is SIGKILLed and restarted (the trainer waits, then reloads
 * both networks from the last checkpoint), then the trainer itself is SIGKILLed and started again (it
 * resumes from the last checkpoint). At the end both networks have taken exactly one update per step and losses.csv holds
 * every step once, in order.
 */
class FaultToleranceIT {
  static final int STEPS = 60;

  @TempDir
  Path tmp;

  private final List<GanProcess> processes = new ArrayList<>();
  private final Vertx vertx = Vertx.vertx();
  private final RpcClient client = RpcClient.plain(vertx);

  @AfterEach
  void stopAll() {
    processes.forEach(GanProcess::close);
    Blocking.await(vertx.close(), Duration.ofSeconds(30));
  }

  private GanProcess start(String name, List<String> args) {
    GanProcess p = GanProcess.start(name, Path.of("target", "fault-logs"), args);
    processes.add(p);
    return p;
  }

  @Test
  void aKilledDiscriminatorGeneratorAndTrainerCostNothingButTime() throws Exception {
    int dPort = GanProcess.freePort();
    int gPort = GanProcess.freePort();
    int tPort = GanProcess.freePort();
    Path run = tmp.resolve("run");
    List<String> dArgs = List.of("serve-discriminator", "--preset", "tiny", "--port", "" + dPort, "--metrics-port", "-1");
    List<String> trainArgs = List.of("train", "--preset", "tiny", "--data", "mnist", "--max-steps", "" + STEPS,
        "--run-dir", run.toString(), "--port", "" + tPort, "--generator", "127.0.0.1:" + gPort,
        "--discriminator", "127.0.0.1:" + dPort, "--eval-every", "0", "--log-every", "5");
    GanProcess d = start("discriminator", dArgs);
    List<String> gArgs = List.of("serve-generator", "--preset", "tiny", "--port", "" + gPort, "--metrics-port", "-1");
    GanProcess g = start("generator", gArgs);
    GanProcess trainer = start("trainer-1", trainArgs);
    HostPort trainerAddress = new HostPort("127.0.0.1", tPort);

    awaitStep(trainerAddress, 15, trainer);
    d.kill();
    Thread.sleep(1500); // the trainer is now retrying against a dead port
    start("discriminator-2", dArgs);
    awaitStep(trainerAddress, 28, trainer);
    assertThat(Files.readString(trainer.log)).contains("a peer restarted during step")
        .contains("reloading both networks from");

    g.kill(); // the training generator this time: its kept forward passes die with it
    Thread.sleep(1500);
    start("generator-2", gArgs);
    awaitStep(trainerAddress, 42, trainer);
    assertThat(Files.readString(trainer.log).split("a peer restarted during step", -1)).as("two rewinds").hasSize(3);

    trainer.kill();
    GanProcess trainer2 = start("trainer-2", trainArgs);
    assertThat(trainer2.process.waitFor(3, TimeUnit.MINUTES)).as("second trainer finished").isTrue();
    assertThat(trainer2.process.exitValue()).as(trainer2.tail(30)).isZero();
    assertThat(Files.readString(trainer2.log)).contains("resumed from");

    // both networks at the same step: one optimizer update per step, whatever died on the way
    long gUpdates = Blocking.await(client.unary(new HostPort("127.0.0.1", gPort).socketAddress(),
        GeneratorServiceGrpcClient.Describe, DescribeRequest.getDefaultInstance(), 10_000), Duration.ofSeconds(20))
        .getUpdates();
    long dUpdates = Blocking.await(client.unary(new HostPort("127.0.0.1", dPort).socketAddress(),
        DiscriminatorServiceGrpcClient.Describe, DescribeRequest.getDefaultInstance(), 10_000), Duration.ofSeconds(20))
        .getUpdates();
    assertThat(gUpdates).isEqualTo(STEPS);
    assertThat(dUpdates).isEqualTo(STEPS);
    assertThat(CheckpointStore.read(new CheckpointStore(run.resolve("checkpoints"), 9).listNewestFirst().get(0)).step())
        .isEqualTo(STEPS);
    List<String> rows = Files.readAllLines(run.resolve("losses.csv"));
    List<Long> steps = rows.subList(1, rows.size()).stream().map(r -> Long.parseLong(r.split(",")[0])).toList();
    assertThat(steps).as("every step once, in order").hasSize(STEPS)
        .isEqualTo(java.util.stream.LongStream.rangeClosed(1, STEPS).boxed().toList());
  }

  private void awaitStep(HostPort trainer, long step, GanProcess process) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < deadline) {
      assertThat(process.process.isAlive()).as(process.name + " died:\n" + process.tail(40)).isTrue();
      try {
        TrainingStatus s = Blocking.await(client.unary(trainer.socketAddress(), TrainerServiceGrpcClient.Status,
            StatusRequest.getDefaultInstance(), 5_000), Duration.ofSeconds(10));
        if (s.getStep() >= step) {
          return;
        }
      } catch (RuntimeException notYet) {
        // still starting
      }
      Thread.sleep(200);
    }
    throw new AssertionError("step " + step + " not reached:\n" + process.tail(40));
  }
}
