package io.gancluster.gateway.replicas;

import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.client.GeneratorClient;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** One generator replica as the gateway sees it: how to call it, whether to, and what it did lately. */
public final class Replica {
  /** How long a replica that failed a call is skipped before it gets another chance. */
  static final long COOLDOWN_NANOS = TimeUnit.SECONDS.toNanos(2);

  /** Where the gateway learned of it: the command line, or the cluster's heartbeats. */
  public enum Source { CONFIGURED, DISCOVERED }

  /** UP: chosen for requests; the others are skipped. */
  public enum State { UP, DOWN, LOADING, DRAINING }

  private final HostPort address;
  private final GeneratorClient client;
  private final Source source;
  private volatile State state = State.UP;
  private volatile String version = "";
  private volatile String lastError = "";
  private volatile long lastSeenNanos = System.nanoTime();
  private volatile long skipUntilNanos;
  private final AtomicLong ok = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  Replica(HostPort address, GeneratorClient client, Source source) {
    this.address = address;
    this.client = client;
    this.source = source;
  }

  public HostPort address() {
    return address;
  }

  public GeneratorClient client() {
    return client;
  }

  public Source source() {
    return source;
  }

  public State state() {
    return state;
  }

  public String version() {
    return version;
  }

  /** Whether requests may go here now. */
  boolean eligible(long now) {
    return state == State.UP && now >= skipUntilNanos;
  }

  void seen(State state, String version) {
    this.state = state;
    if (version != null && !version.isEmpty()) {
      this.version = version;
    }
    lastSeenNanos = System.nanoTime();
  }

  /** The replica said, refusing a pinned version, which version it holds. */
  void holds(String version) {
    if (version != null && !version.isEmpty()) {
      this.version = version;
    }
  }

  long lastSeenNanos() {
    return lastSeenNanos;
  }

  void succeeded(String version) {
    ok.incrementAndGet();
    if (version != null && !version.isEmpty()) {
      this.version = version;
    }
  }

  /** A call failed as if the replica were gone: skip it for a while (a health check or heartbeat may clear it). */
  void failed(String error) {
    failed.incrementAndGet();
    lastError = error;
    skipUntilNanos = System.nanoTime() + COOLDOWN_NANOS;
  }

  void healthChecked(boolean serving, String error) {
    state = serving ? State.UP : State.DOWN;
    if (serving) {
      skipUntilNanos = 0;
    } else {
      lastError = error;
    }
  }

  JsonObject toJson() {
    boolean skipped = System.nanoTime() < skipUntilNanos;
    return new JsonObject().put("address", address.toString()).put("source", source.name())
        .put("state", skipped && state == State.UP ? "SKIPPED" : state.name()).put("version", version)
        .put("ok", ok.get()).put("failed", failed.get()).put("lastError", lastError);
  }
}
