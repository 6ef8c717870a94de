package io.gancluster.gateway.replicas;

import io.gancluster.client.RpcClient;
import io.gancluster.runtime.cluster.ControlEvents;
import io.gancluster.runtime.cluster.ControlEvents.ReplicaHeartbeat;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.runtime.rpc.ModelVersions;
import io.gancluster.runtime.rpc.RpcException;
import io.gancluster.gateway.PeerHealth;
import io.gancluster.client.GeneratorClient;
import io.gancluster.proto.v1.GeneratorServiceGrpcService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generator replicas behind the gateway and client-side round robin over them. Replicas come from
 * the command line and from the cluster's heartbeats (a replica that stops beating is forgotten; one
 * that says DRAINING is skipped at once). A call that finds its replica gone (UNAVAILABLE) is retried
 * on the next one, so a replica dying under load costs no request.
 *
 * <p>Why not Vert.x's own client-side load balancer: requests here must skip replicas the cluster says
 * are draining, retry elsewhere, and report each replica's health, which needs the list in our hands.
 */
public final class ReplicaPool {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaPool.class);
  /** A discovered replica silent this long is gone (heartbeats come every second). */
  static final long FORGET_NANOS = TimeUnit.SECONDS.toNanos(4);
  public static final long HEALTH_CHECK_MS = 1_000;
  /** Most tries of one request (each on another replica where there is one). */
  public static final int MAX_ATTEMPTS = 3;

  private final Vertx vertx;
  private final RpcClient client;
  private final Map<HostPort, Replica> replicas = new ConcurrentHashMap<>();
  private final AtomicInteger next = new AtomicInteger();
  private final Counter retries;
  private MessageConsumer<JsonObject> heartbeats;
  private long timer = -1;

  public ReplicaPool(Vertx vertx, RpcClient client, List<HostPort> configured, MeterRegistry registry) {
    this.vertx = vertx;
    this.client = client;
    configured.forEach(a -> replicas.put(a, new Replica(a, new GeneratorClient(client, a), Replica.Source.CONFIGURED)));
    retries = Counter.builder("gan.gateway.retries").description("Sampling calls retried on another generator replica")
        .register(registry);
    for (Replica.State s : Replica.State.values()) {
      Gauge.builder("gan.gateway.replicas", () -> replicas.values().stream().filter(r -> r.state() == s).count())
          .description("Generator replicas the gateway knows, by state").tag("state", s.name().toLowerCase())
          .register(registry);
    }
  }

  /** Listens to replica heartbeats and checks the configured replicas' health every second. */
  public ReplicaPool start() {
    heartbeats = vertx.eventBus().consumer(ControlEvents.REPLICA_HEARTBEAT, msg -> heard(ReplicaHeartbeat.fromJson(msg.body())));
    timer = vertx.setPeriodic(HEALTH_CHECK_MS, id -> maintain());
    return this;
  }

  public void stop() {
    if (heartbeats != null) {
      heartbeats.unregister();
    }
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  void heard(ReplicaHeartbeat beat) {
    if (beat.state() == ControlEvents.ReplicaState.LEFT) {
      Replica gone = replicas.get(beat.address());
      if (gone != null && gone.source() == Replica.Source.DISCOVERED) {
        replicas.remove(beat.address());
        LOG.info("generator replica {} ({}) left", beat.id(), beat.address());
      }
      return;
    }
    Replica r = replicas.computeIfAbsent(beat.address(), a -> {
      LOG.info("discovered generator replica {} at {}", beat.id(), a);
      return new Replica(a, new GeneratorClient(client, a), Replica.Source.DISCOVERED);
    });
    r.seen(switch (beat.state()) {
      case SERVING -> Replica.State.UP;
      case LOADING -> Replica.State.LOADING;
      default -> Replica.State.DRAINING;
    }, beat.version());
  }

  private void maintain() {
    long now = System.nanoTime();
    for (Replica r : List.copyOf(replicas.values())) {
      if (r.source() == Replica.Source.DISCOVERED) {
        if (now - r.lastSeenNanos() > FORGET_NANOS) {
          replicas.remove(r.address());
          LOG.warn("generator replica {} stopped sending heartbeats: forgotten", r.address());
        }
        continue; // its heartbeats are its health
      }
      PeerHealth.check(client, r.address(), GeneratorServiceGrpcService.SERVICE_NAME)
          .onComplete(ar -> r.healthChecked(ar.succeeded(), ar.failed() ? ar.cause().getMessage() : ""));
    }
  }

  /**
   * Calls {@code call} on the next eligible replica; on UNAVAILABLE, again on another, up to
   * {@link #MAX_ATTEMPTS} tries. Fails UNAVAILABLE naming the replicas tried when none answers.
   */
  public <T> Future<T> call(Function<GeneratorClient, Future<T>> call, Function<T, String> versionOf) {
    return call(call, versionOf, "");
  }

  /**
   * As {@link #call(Function, Function)}, for a request pinned to model version {@code pinned} (empty:
   * none): replicas known to hold it are tried first, then the others (the gateway's view of a replica's
   * version may be a moment old). A replica holding another version refuses (FAILED_PRECONDITION, see
   * {@link ModelVersions#notHeld}) and the next one is tried; when none holds it, the call fails
   * FAILED_PRECONDITION naming the versions the replicas hold.
   */
  public <T> Future<T> call(Function<GeneratorClient, Future<T>> call, Function<T, String> versionOf, String pinned) {
    return attempt(call, versionOf, pinned, new HashSet<>(), new ArrayList<>(), new ArrayList<>());
  }

  private <T> Future<T> attempt(Function<GeneratorClient, Future<T>> call, Function<T, String> versionOf,
      String pinned, Set<HostPort> tried, List<String> errors, List<String> refusals) {
    Replica r = pick(tried, pinned);
    if (r == null) {
      if (!refusals.isEmpty()) {
        return Future.failedFuture(notHeldAnywhere(pinned, errors));
      }
      return Future.failedFuture(new RpcException(GrpcStatus.UNAVAILABLE, errors.isEmpty()
          ? "no generator replica is serving (known: " + describeAll() + ")"
          : "no generator replica answered: " + String.join("; ", errors)));
    }
    tried.add(r.address());
    return call.apply(r.client())
        .onSuccess(v -> r.succeeded(versionOf.apply(v)))
        .recover(err -> {
          String held = !pinned.isEmpty() && err instanceof RpcException e && e.status() == GrpcStatus.FAILED_PRECONDITION
              ? ModelVersions.heldIn(e.getMessage()) : null;
          if (held != null) {
            r.holds(held); // not a fault of the replica: it serves, just another version
            refusals.add(r.address() + ": " + held);
          } else if (!(err instanceof RpcException e) || e.status() != GrpcStatus.UNAVAILABLE) {
            return Future.failedFuture(err); // the caller's mistake or a real error: retrying would not help
          } else {
            r.failed(err.getMessage());
            errors.add(r.address() + ": " + err.getMessage());
          }
          if (tried.size() >= MAX_ATTEMPTS) {
            return Future.failedFuture(!refusals.isEmpty() ? notHeldAnywhere(pinned, errors)
                : new RpcException(GrpcStatus.UNAVAILABLE, "no generator replica answered: " + String.join("; ", errors)));
          }
          retries.increment();
          return attempt(call, versionOf, pinned, tried, errors, refusals);
        });
  }

  /** FAILED_PRECONDITION for a pinned version no replica tried holds, naming the versions they hold and where. */
  private RpcException notHeldAnywhere(String pinned, List<String> unreachable) {
    Map<String, List<String>> held = new TreeMap<>();
    replicas.values().stream().filter(r -> !r.version().isEmpty() && r.state() != Replica.State.DOWN)
        .sorted((a, b) -> a.address().toString().compareTo(b.address().toString()))
        .forEach(r -> held.computeIfAbsent(r.version(), v -> new ArrayList<>()).add(r.address().toString()));
    StringBuilder m = new StringBuilder("no generator replica holds model version '").append(pinned).append("'; ");
    if (held.isEmpty()) {
      m.append("the replicas have not said which versions they hold");
    } else {
      m.append("versions held: ");
      m.append(String.join(", ", held.entrySet().stream()
          .map(e -> "'" + e.getKey() + "' (" + String.join(", ", e.getValue()) + ")").toList()));
    }
    if (!unreachable.isEmpty()) {
      m.append("; not reached: ").append(String.join("; ", unreachable));
    }
    return new RpcException(GrpcStatus.FAILED_PRECONDITION, m.toString());
  }

  /**
   * Round robin over the eligible replicas not yet tried (for a pinned version, those known to hold it
   * when there are any); failing that, any not tried (it may be back).
   */
  Replica pick(Set<HostPort> tried, String pinned) {
    List<Replica> all = new ArrayList<>(replicas.values());
    all.sort((a, b) -> a.address().toString().compareTo(b.address().toString()));
    long now = System.nanoTime();
    List<Replica> eligible = all.stream().filter(r -> r.eligible(now) && !tried.contains(r.address())).toList();
    if (!pinned.isEmpty()) {
      List<Replica> holders = eligible.stream().filter(r -> pinned.equals(r.version())).toList();
      if (!holders.isEmpty()) {
        eligible = holders;
      }
    }
    if (eligible.isEmpty()) {
      eligible = all.stream().filter(r -> !tried.contains(r.address()) && r.state() != Replica.State.DRAINING
          && r.state() != Replica.State.LOADING).toList();
    }
    if (eligible.isEmpty()) {
      return null;
    }
    return eligible.get(Math.floorMod(next.getAndIncrement(), eligible.size()));
  }

  /** A pool of one configured generator, without health checks (tests, single-generator wiring). */
  public static ReplicaPool single(GeneratorClient generator, MeterRegistry registry) {
    ReplicaPool pool = new ReplicaPool(null, null, List.of(), registry);
    pool.replicas.put(generator.address(), new Replica(generator.address(), generator, Replica.Source.CONFIGURED));
    return pool;
  }

  /** Whether at least one replica is up. */
  public boolean anyUp() {
    long now = System.nanoTime();
    return replicas.values().stream().anyMatch(r -> r.eligible(now));
  }

  public List<Replica> replicas() {
    return List.copyOf(replicas.values());
  }

  /** Per-replica health for /health. */
  public JsonArray toJson() {
    JsonArray a = new JsonArray();
    replicas.values().stream().sorted((x, y) -> x.address().toString().compareTo(y.address().toString()))
        .forEach(r -> a.add(r.toJson()));
    return a;
  }

  private String describeAll() {
    return replicas.isEmpty() ? "none" : String.join(", ", replicas.values().stream()
        .map(r -> r.address() + " " + r.state()).toList());
  }
}
