package io.gancluster.generator.serving;

import io.gancluster.runtime.cluster.ControlEvents;
import io.gancluster.runtime.cluster.ControlEvents.CheckpointPublished;
import io.gancluster.runtime.rpc.RpcException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a replica on the newest published checkpoint: on each "checkpoint published" event of the
 * cluster (and, as a fallback for missed events, on a slow poll of the source) it streams the bytes,
 * builds the generator on a loader thread while the old one keeps serving, then swaps the reference.
 * A checkpoint that fails to fetch, verify or load is reported and the previous model stays.
 * Runs on the verticle's event loop; loads are serialized and only the newest pending one is kept.
 */
public final class ModelReloader {
  private static final Logger LOG = LoggerFactory.getLogger(ModelReloader.class);
  public static final long DEFAULT_POLL_MS = 10_000;

  private final Vertx vertx;
  private final CheckpointSource source;
  private final AtomicReference<ServedModel> current;
  private final ServingMetrics metrics;
  private final WorkerExecutor loader;
  private final long pollMs;
  private MessageConsumer<JsonObject> consumer;
  private long timer = -1;
  private String loading;
  private String pending;
  private String lastFailed;
  private boolean waitingLogged;
  private final java.util.List<String> served = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final java.util.List<String> refused = new java.util.concurrent.CopyOnWriteArrayList<>();

  public ModelReloader(Vertx vertx, CheckpointSource source, AtomicReference<ServedModel> current,
      ServingMetrics metrics, WorkerExecutor loader, long pollMs) {
    this.vertx = vertx;
    this.source = source;
    this.current = current;
    this.metrics = metrics;
    this.loader = loader;
    this.pollMs = pollMs;
  }

  public void start() {
    consumer = vertx.eventBus().consumer(ControlEvents.CHECKPOINT_PUBLISHED, msg -> {
      CheckpointPublished event = CheckpointPublished.fromJson(msg.body());
      LOG.info("checkpoint {} published by trainer {}", event.version(), event.trainer());
      offer(event.version());
    });
    poll();
  }

  public void stop() {
    if (consumer != null) {
      consumer.unregister();
    }
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  private void poll() {
    source.latest()
        .onSuccess(info -> {
          waitingLogged = false;
          offer(info.getVersion());
        })
        .onFailure(err -> {
          if (!waitingLogged || current.get() != null) {
            LOG.info("no checkpoint from {} yet ({}); {}", source.describe(), err.getMessage(),
                current.get() == null ? "waiting for one" : "serving " + current.get().version());
            waitingLogged = true;
          }
        })
        .onComplete(ar -> timer = vertx.setTimer(current.get() == null ? Math.min(pollMs, 1_000) : pollMs,
            id -> poll()));
  }

  /** Loads {@code version} unless it is served, loading, or already failed. */
  void offer(String version) {
    ServedModel served = current.get();
    if (served != null && served.version().equals(version) || version.equals(loading) || version.equals(lastFailed)) {
      return;
    }
    if (loading != null) {
      pending = version; // newest wins
      return;
    }
    load(version);
  }

  private void load(String version) {
    loading = version;
    long started = System.nanoTime();
    source.fetch(version)
        .compose(fetched -> loader.executeBlocking(() -> ServedModel.load(fetched.info().getVersion(), fetched.bytes())))
        .onSuccess(model -> {
          ServedModel old = current.getAndSet(model);
          served.add(model.version());
          metrics.serving(model.step());
          metrics.reload("ok");
          lastFailed = null;
          LOG.info("serving {} (step {}){} after {} ms", model.version(), model.step(),
              old == null ? "" : ", was " + old.version(), (System.nanoTime() - started) / 1_000_000);
        })
        .onFailure(err -> {
          metrics.reload("failed");
          boolean transientFailure = err instanceof RpcException r && r.status() == GrpcStatus.UNAVAILABLE;
          if (!transientFailure) {
            lastFailed = version; // a bad checkpoint stays bad: do not refetch it every poll
            refused.add(version);
          }
          ServedModel served = current.get();
          LOG.warn("could not load {}: {}; {}", version, err.getMessage(),
              served == null ? "still no model" : "still serving " + served.version());
        })
        .onComplete(ar -> {
          loading = null;
          String next = pending;
          pending = null;
          if (next != null) {
            offer(next);
          }
        });
  }

  /** Every version served so far, in order. */
  public java.util.List<String> served() {
    return java.util.List.copyOf(served);
  }

  /** Versions that failed to fetch, verify or load (and were not retried). */
  public java.util.List<String> refused() {
    return java.util.List.copyOf(refused);
  }

  /** For tests and health: whether a load is under way. */
  public boolean busy() {
    return loading != null;
  }

  /** Completes with the current model once one is served (for tests). */
  public Future<ServedModel> firstModel() {
    if (current.get() != null) {
      return Future.succeededFuture(current.get());
    }
    io.vertx.core.Promise<ServedModel> p = io.vertx.core.Promise.promise();
    long[] id = new long[1];
    id[0] = vertx.setPeriodic(50, t -> {
      if (current.get() != null) {
        vertx.cancelTimer(id[0]);
        p.tryComplete(current.get());
      }
    });
    return p.future();
  }
}
