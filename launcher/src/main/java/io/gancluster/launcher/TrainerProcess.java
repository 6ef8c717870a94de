package io.gancluster.launcher;

import io.gancluster.trainer.run.TrainingRun;
import io.gancluster.trainer.service.TrainingController;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Ctrl-C handling shared by demo and train: stop after the current step, checkpoint, then exit. */
final class TrainerProcess {
  private static final Logger LOG = LoggerFactory.getLogger("gan");

  /** Set when the JVM begins to shut down (SIGTERM, Ctrl-C): a run that ends then was stopped by it. */
  private static final java.util.concurrent.atomic.AtomicBoolean SHUTTING_DOWN =
      new java.util.concurrent.atomic.AtomicBoolean();

  private TrainerProcess() {}

  /** Whether the process is being stopped; {@code --serve-after-run} then does not keep it up. */
  static boolean shuttingDown() {
    return SHUTTING_DOWN.get();
  }

  static void stopCleanlyOnShutdown(TrainingController controller, Runnable afterwards) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      SHUTTING_DOWN.set(true); // before stop(): the main thread sees it once the run has ended
      if (!controller.finished().isDone()) {
        LOG.info("stopping: finishing the current step and writing a checkpoint ...");
        controller.stop();
        try {
          TrainingRun.Outcome o = controller.finished().get(5, TimeUnit.MINUTES);
          LOG.info("stopped at step {}; checkpoint {}", o.step(), controller.status().getLastCheckpoint());
        } catch (Exception e) {
          LOG.error("could not stop cleanly: {}", e.toString());
        }
      }
      afterwards.run();
    }, "gan-shutdown"));
  }

  static TrainingRun.Outcome awaitEnd(TrainingController controller) {
    try {
      return controller.finished().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }
}
