package io.gancluster.gateway;

import io.gancluster.client.RpcClient;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.proto.v1.ProgressEvent;
import io.gancluster.proto.v1.TrainerServiceGrpcClient;
import io.gancluster.proto.v1.WatchProgressRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a WatchProgress stream open to the trainer and feeds each event to the metrics and the training view.
 *
 * <p>The trainer may start after the gateway, restart, or finish a run and go away: whenever the
 * stream ends or fails the feed subscribes again after a back-off (1 s, doubling to 30 s), and
 * says so in the log once per outage rather than once per attempt. Everything runs on the
 * caller's context through callbacks and timers; nothing blocks.
 */
public final class ProgressFeed {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressFeed.class);
  static final long INITIAL_BACKOFF_MS = 1_000;
  static final long MAX_BACKOFF_MS = 30_000;

  private final Vertx vertx;
  private final RpcClient client;
  private final HostPort trainer;
  private final java.util.function.Consumer<ProgressEvent> sink;

  private long backoffMs = INITIAL_BACKOFF_MS;
  private long timerId = -1;
  private GrpcClientRequest<WatchProgressRequest, ProgressEvent> current;
  private boolean stopped;
  /** Identifies the current subscription, so late callbacks of an abandoned stream are ignored. */
  private long generation;
  private volatile boolean connected;
  private boolean outageLogged;
  private volatile long events;
  private Context context;

  public ProgressFeed(Vertx vertx, RpcClient client, HostPort trainer, GanMetrics metrics) {
    this(vertx, client, trainer, metrics::record);
  }

  /** {@code sink} gets every event, on the feed's context. */
  public ProgressFeed(Vertx vertx, RpcClient client, HostPort trainer, java.util.function.Consumer<ProgressEvent> sink) {
    this.vertx = vertx;
    this.client = client;
    this.trainer = trainer;
    this.sink = sink;
  }

  public HostPort trainer() {
    return trainer;
  }

  /** Whether a progress stream is open right now. */
  public boolean connected() {
    return connected;
  }

  /** Events received since start, over all subscriptions. */
  public long events() {
    return events;
  }

  /** Subscribes, from now on always on the caller's context (or a new one from a plain thread). */
  public void start() {
    context = vertx.getOrCreateContext();
    context.runOnContext(v -> {
      stopped = false;
      subscribe();
    });
  }

  /** Cancels the open stream and any pending re-subscription. */
  public void stop() {
    if (context == null) {
      return;
    }
    if (Vertx.currentContext() == context) {
      cancel();
    } else {
      context.runOnContext(v -> cancel());
    }
  }

  private void cancel() {
    stopped = true;
    connected = false;
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
    if (current != null) {
      current.cancel();
      current = null;
    }
  }

  private void subscribe() {
    timerId = -1;
    if (stopped) {
      return;
    }
    long gen = ++generation;
    client.grpc().request(trainer.socketAddress(), TrainerServiceGrpcClient.WatchProgress)
        .compose(req -> {
          if (stopped) {
            req.cancel(); // stop() came while connecting
            return Future.failedFuture("stopped");
          }
          current = req;
          return req.send(WatchProgressRequest.getDefaultInstance());
        })
        .onSuccess(resp -> {
          if (stopped) {
            return; // stop() already cancelled this stream
          }
          if (resp.status() != null && resp.status() != GrpcStatus.OK) {
            // a trailers-only answer (e.g. UNIMPLEMENTED): this is not a progress stream
            retry(gen, "WatchProgress answered " + resp.status() + " " + resp.statusMessage());
            return;
          }
          connected = true;
          backoffMs = INITIAL_BACKOFF_MS;
          if (outageLogged) {
            LOG.info("progress feed from trainer {} restored", trainer);
          }
          outageLogged = false;
          resp.handler(event -> {
            if (gen == generation) {
              events++;
              sink.accept(event);
            }
          });
          resp.exceptionHandler(err -> retry(gen, String.valueOf(err.getMessage())));
          resp.endHandler(v -> retry(gen, "stream ended" + (resp.status() == null ? "" : " with " + resp.status())));
        })
        .onFailure(err -> retry(gen, String.valueOf(err.getMessage())));
  }

  /**
   * Schedules the next subscription after subscription {@code gen} failed or ended; once per
   * subscription, since a stream can report both an error and an end.
   */
  private void retry(long gen, String why) {
    if (stopped || gen != generation || timerId >= 0) {
      return;
    }
    connected = false;
    current = null;
    if (!outageLogged) {
      LOG.warn("no progress feed from trainer {} ({}); retrying every {}-{} s until it answers", trainer, why,
          INITIAL_BACKOFF_MS / 1000, MAX_BACKOFF_MS / 1000);
      outageLogged = true;
    } else {
      LOG.debug("trainer {} still unreachable ({}); next try in {} ms", trainer, why, backoffMs);
    }
    long delay = backoffMs;
    backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    timerId = vertx.setTimer(delay, id -> subscribe());
  }
}
