package io.gancluster.launcher;

import io.gancluster.runtime.metrics.ServiceMetrics;
import io.gancluster.runtime.rpc.Blocking;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.gancluster.runtime.cluster.ClusterOptions;
import io.gancluster.runtime.cluster.Clustering;
import java.time.Duration;

/** Vert.x instance and blocking deployment for the command line. */
final class Deployments {
  private Deployments() {}

  static Vertx vertx() {
    return Vertx.vertx(options());
  }

  /** A Vert.x in the cluster {@code cluster} describes (Hazelcast), or a plain one when clustering is off. */
  static Vertx vertx(ClusterOptions cluster) {
    return Blocking.await(Clustering.vertx(options(), cluster), Duration.ofMinutes(2));
  }

  private static VertxOptions options() {
    // Vert.x's own meters (HTTP, gRPC, event bus) join the process's /metrics; and DL4J calls run
    // minutes-long on worker threads by design: don't warn about them
    return ServiceMetrics.withVertxMeters(new VertxOptions()).setMaxWorkerExecuteTime(30).setMaxWorkerExecuteTimeUnit(
        java.util.concurrent.TimeUnit.MINUTES).setWarningExceptionTime(30).setWarningExceptionTimeUnit(
        java.util.concurrent.TimeUnit.MINUTES);
  }

  /**
   * On SIGTERM / Ctrl-C, closes Vert.x (so each verticle's stop runs: a serving replica drains, the
   * cluster is left cleanly) before the JVM exits, waiting at most {@code seconds}.
   */
  static void closeOnShutdown(Vertx vertx, int seconds) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        Blocking.await(vertx.close(), Duration.ofSeconds(seconds));
      } catch (RuntimeException e) {
        System.err.println("shutdown: " + e.getMessage());
      }
    }, "gan-close"));
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
