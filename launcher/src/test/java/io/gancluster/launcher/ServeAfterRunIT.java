package io.gancluster.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --serve-after-run}: a run that ends by itself leaves the trainer up (and says so); a run
 * stopped by SIGTERM writes its checkpoint and the process exits, without claiming it stays up.
 */
class ServeAfterRunIT {
  private static final String STAYS_UP = "--serve-after-run: trainer-service stays up";

  @TempDir
  Path tmp;

  private final List<GanProcess> processes = new ArrayList<>();

  @AfterEach
  void stopAll() {
    processes.forEach(GanProcess::close);
  }

  private GanProcess train(String name, int maxSteps) {
    GanProcess p = GanProcess.start(name, Path.of("target", "serve-after-run-logs"), List.of("train", "--preset", "tiny",
        "--data", "mnist", "--max-steps", "" + maxSteps, "--run-dir", tmp.resolve(name).toString(),
        "--port", "" + GanProcess.freePort(), "--eval-every", "0", "--log-every", "5", "--serve-after-run"));
    processes.add(p);
    return p;
  }

  @Test
  void aRunThatEndsKeepsTheTrainerUp() throws Exception {
    GanProcess p = train("ends", 20);
    awaitLog(p, STAYS_UP, 180);
    Thread.sleep(1000);
    assertThat(p.process.isAlive()).as("the trainer is still up; log:\n%s", p.tail(20)).isTrue();
  }

  @Test
  void sigtermStopsTheRunWithACheckpointAndTheProcessExits() throws Exception {
    GanProcess p = train("stopped", 1_000_000);
    awaitLog(p, "step 10/", 180);
    p.process.destroy(); // SIGTERM
    assertThat(p.process.waitFor(2, TimeUnit.MINUTES)).as("exited after SIGTERM; log:\n%s", p.tail(20)).isTrue();
    String log = Files.readString(p.log);
    assertThat(log).contains("stopped at step").doesNotContain(STAYS_UP);
  }

  private static void awaitLog(GanProcess p, String text, int seconds) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (Files.exists(p.log) && Files.readString(p.log).contains(text)) {
        return;
      }
      if (!p.process.isAlive()) {
        throw new IllegalStateException(p.name + " exited before logging '" + text + "':\n" + p.tail(20));
      }
      Thread.sleep(300);
    }
    throw new IllegalStateException(p.name + " did not log '" + text + "' within " + seconds + " s:\n" + p.tail(20));
  }
}
