package io.gancluster.launcher;

import io.gancluster.core.rpc.Blocking;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;

/** Vert.x instance and blocking deployment for the command line. */
final class Deployments {
  private Deployments() {}

  static Vertx vertx() {
    // DL4J calls run minutes-long on worker threads by design: don't warn about them
    return Vertx.vertx(new VertxOptions().setMaxWorkerExecuteTime(30).setMaxWorkerExecuteTimeUnit(
        java.util.concurrent.TimeUnit.MINUTES).setWarningExceptionTime(30).setWarningExceptionTimeUnit(
        java.util.concurrent.TimeUnit.MINUTES));
  }

  static <T extends Deployable> T deploy(Vertx vertx, T verticle) {
    Blocking.await(vertx.deployVerticle(verticle), Duration.ofMinutes(5));
    return verticle;
  }

  /** Blocks the main thread until the JVM exits (Ctrl-C), keeping servers up. */
  static void serveForever() {
    try {
      Thread.currentThread().join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
