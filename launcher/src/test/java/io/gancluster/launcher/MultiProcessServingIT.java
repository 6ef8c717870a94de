package io.gancluster.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.gancluster.runtime.rpc.Blocking;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.client.RpcClient;
import io.gancluster.proto.v1.GeneratorServiceGrpcClient;
import io.gancluster.proto.v1.GetModelInfoRequest;
import io.gancluster.proto.v1.ModelInfo;
import io.gancluster.proto.v1.SampleRequest;
import io.gancluster.proto.v1.SampleResponse;
import io.gancluster.proto.v1.SamplingServiceGrpcClient;
import io.gancluster.proto.v1.StatusRequest;
import io.gancluster.proto.v1.TrainerServiceGrpcClient;
import io.gancluster.proto.v1.TrainingStatus;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serving path as separate JVMs on loopback: discriminator-service, the trainer (with its training
 * generator), three serving replicas and the gateway, joined in one Vert.x cluster. For 30 s, 32
 * concurrent clients sample through the gateway while the trainer keeps publishing checkpoints; one
 * replica is killed (SIGKILL) a third of the way in. A second run does the same with TLS and tokens on. No request may fail, and every checkpoint published
 * after the kill must be served by every live replica within a few seconds.
 */
class MultiProcessServingIT {
  static final int CLIENTS = 32;
  static final Duration LOAD = Duration.ofSeconds(30);
  /** "Within a few seconds": the longest a published checkpoint may take to reach every live replica. */
  static final Duration PROPAGATION_LIMIT = Duration.ofSeconds(5);
  /** How long the watch may outlast the load waiting for a checkpoint after the kill (slow, loaded machines). */
  static final Duration EXTRA_WATCH = Duration.ofSeconds(90);

  @TempDir
  Path tmp;

  private final List<GanProcess> processes = new ArrayList<>();
  private final Vertx vertx = Vertx.vertx();
  private RpcClient client = RpcClient.plain(vertx);

  @AfterEach
  void stopAll() {
    processes.forEach(GanProcess::close);
    Blocking.await(vertx.close(), Duration.ofSeconds(30));
  }

  /** Whether some checkpoint published after the kill has been watched for PROPAGATION_LIMIT already. */
  private static boolean judgeable(Map<Long, Long> publishedAt, long killedAt, long now) {
    return killedAt > 0 && publishedAt.values().stream()
        .anyMatch(t -> t > killedAt && t <= now - PROPAGATION_LIMIT.toNanos());
  }

  private GanProcess start(String name, List<String> args) {
    List<String> all = new ArrayList<>(args);
    all.addAll(securityArgs);
    GanProcess p = GanProcess.start(name, Path.of("target", "multiprocess-logs"), all, env);
    processes.add(p);
    return p;
  }

  @Test
  void servesWithoutAFailedRequestThroughAReplicaKillAndFollowsEveryNewCheckpoint() throws Exception {
    run(false, LOAD);
  }

  /** The same with TLS on every gRPC and HTTP connection and a control token on every internal call. */
  @Test
  void theSameWithTlsAndBearerTokens() throws Exception {
    run(true, Duration.ofSeconds(20));
  }

  private Map<String, String> env = Map.of();
  private List<String> securityArgs = List.of();
  private io.vertx.ext.web.client.WebClient web;

  private void run(boolean secure, Duration load) throws Exception {
    if (secure) {
      Path p12 = TestCertificates.keystore(tmp);
      env = Map.of(io.gancluster.runtime.security.Security.CONTROL_TOKEN_ENV, "multi-process-token",
          "GAN_TLS_PASSWORD", TestCertificates.PASSWORD);
      securityArgs = List.of("--tls-cert", p12.toString());
      client = RpcClient.create(vertx, io.gancluster.runtime.security.Security.of("multi-process-token", null,
          TestCertificates.tls(p12)));
      web = io.vertx.ext.web.client.WebClient.create(vertx, new io.vertx.ext.web.client.WebClientOptions().setSsl(true)
          .setTrustOptions(new io.vertx.core.net.PfxOptions().setPath(p12.toString()).setPassword(TestCertificates.PASSWORD)));
    } else {
      web = io.vertx.ext.web.client.WebClient.create(vertx);
    }
    List<String> cluster = List.of("--cluster-members", "127.0.0.1", "--cluster-name", "it-" + UUID.randomUUID(),
        "--cluster-port", Integer.toString(6100 + (int) (Math.random() * 800)));
    int dPort = GanProcess.freePort();
    int trainerPort = GanProcess.freePort();
    int grpcPort = GanProcess.freePort();
    int httpPort = GanProcess.freePort();
    HostPort trainer = new HostPort("127.0.0.1", trainerPort);
    start("discriminator", List.of("serve-discriminator", "--preset", "tiny", "--port", "" + dPort,
        "--metrics-port", "-1"));
    start("trainer", concat(List.of("train", "--preset", "tiny", "--data", "mnist", "--max-steps", "1000000",
        "--run-dir", tmp.resolve("run").toString(), "--port", "" + trainerPort, "--discriminator", "127.0.0.1:" + dPort,
        "--eval-every", "0", "--log-every", "50"), cluster));
    Map<String, HostPort> replicas = new TreeMap<>();
    Map<String, GanProcess> replicaProcesses = new TreeMap<>();
    for (int i = 1; i <= 3; i++) {
      int port = GanProcess.freePort();
      replicas.put("r" + i, new HostPort("127.0.0.1", port));
      replicaProcesses.put("r" + i, start("replica-r" + i, concat(List.of("serve-replica", "--trainer",
          trainer.toString(), "--port", "" + port, "--metrics-port", "-1", "--replica-id", "r" + i,
          "--drain-seconds", "5"), cluster)));
    }
    start("gateway", concat(List.of("serve-gateway", "--http-port", "" + httpPort, "--grpc-port", "" + grpcPort,
        "--trainer", trainer.toString()), cluster));

    awaitReplicasServing(httpPort, 3, Duration.ofMinutes(3));

    // load: 32 clients for 30 s through the gateway's gRPC API
    AtomicInteger ok = new AtomicInteger();
    List<String> failures = new CopyOnWriteArrayList<>();
    Map<String, Integer> versionsAnswered = new ConcurrentHashMap<>();
    long start = System.nanoTime();
    long end = start + load.toNanos();
    HostPort gateway = new HostPort("127.0.0.1", grpcPort);
    List<Future<Void>> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      clients.add(loop(gateway, c, end, ok, failures, versionsAnswered));
    }

    // watch: when each checkpoint appears at the trainer, and when each live replica serves it
    Map<Long, Long> publishedAt = new TreeMap<>();
    Map<String, Map<Long, Long>> servedAt = new TreeMap<>();
    replicas.keySet().forEach(r -> servedAt.put(r, new TreeMap<>()));
    boolean killed = false;
    long killedAt = 0;
    // the watch outlasts the load (by at most EXTRA_WATCH) until a checkpoint published after the kill has had
    // PROPAGATION_LIMIT to spread: on a loaded machine the trainer may publish none within the load window
    while (System.nanoTime() < end || (System.nanoTime() < end + EXTRA_WATCH.toNanos()
        && !judgeable(publishedAt, killedAt, System.nanoTime()))) {
      if (!killed && System.nanoTime() - start > load.toNanos() / 3) {
        replicaProcesses.get("r2").kill();
        killed = true;
        killedAt = System.nanoTime();
        servedAt.remove("r2");
      }
      long now = System.nanoTime();
      TrainingStatus status = Blocking.await(client.unary(trainer.socketAddress(),
          TrainerServiceGrpcClient.Status, StatusRequest.getDefaultInstance(), 5_000), Duration.ofSeconds(10));
      long step = stepOf(status.getLastCheckpoint());
      if (step >= 0) {
        publishedAt.putIfAbsent(step, now);
      }
      for (String r : servedAt.keySet()) {
        ModelInfo info = Blocking.await(client.unary(replicas.get(r).socketAddress(),
            GeneratorServiceGrpcClient.GetModelInfo, GetModelInfoRequest.getDefaultInstance(), 5_000)
            .otherwise(ModelInfo.getDefaultInstance()), Duration.ofSeconds(10));
        long served = stepOf(info.getVersion());
        if (served >= 0) {
          servedAt.get(r).putIfAbsent(served, now);
        }
      }
      Thread.sleep(200);
    }
    long watched = System.nanoTime();
    Blocking.await(Future.all(clients), Duration.ofMinutes(2));
    String logs = "\n--- gateway\n" + processes.get(processes.size() - 1).tail(30) + "\n--- trainer\n"
        + processes.get(1).tail(15);

    assertThat(failures).as("failed requests (of %d ok)%s", ok.get(), logs).isEmpty();
    String scrape = httpGet(httpPort, "/metrics");
    java.util.regex.Matcher retried = java.util.regex.Pattern.compile("(?m)^gan_gateway_retries_total (\\S+)")
        .matcher(scrape);
    assertThat(retried.find()).isTrue();
    double retries = Double.parseDouble(retried.group(1));
    assertThat(retries).as("requests the gateway retried on another replica after the kill").isGreaterThan(0);
    assertThat(ok.get()).as("answered requests").isGreaterThan(100);
    assertThat(versionsAnswered.keySet()).as("versions in the answers").hasSizeGreaterThanOrEqualTo(2)
        .allMatch(v -> v.startsWith("run/checkpoint-"));

    // every checkpoint published after the kill reached both live replicas within the limit
    long after = killedAt;
    List<Long> published = publishedAt.entrySet().stream().filter(e -> e.getValue() > after).map(Map.Entry::getKey)
        .toList();
    assertThat(published).as("checkpoints published after the kill").isNotEmpty();
    List<String> lags = new ArrayList<>();
    for (long step : published) {
      if (publishedAt.get(step) > watched - PROPAGATION_LIMIT.toNanos()) {
        continue; // too late in the window to judge
      }
      for (Map.Entry<String, Map<Long, Long>> r : servedAt.entrySet()) {
        Long reached = r.getValue().entrySet().stream().filter(e -> e.getKey() >= step).map(Map.Entry::getValue)
            .min(Long::compare).orElse(null);
        long lagMs = reached == null ? Long.MAX_VALUE : Math.max(0, (reached - publishedAt.get(step)) / 1_000_000);
        lags.add(r.getKey() + "@" + step + ": " + (reached == null ? "never" : lagMs + " ms"));
        assertThat(lagMs).as("%s serves step %d (lags %s)%s", r.getKey(), step, lags, logs)
            .isLessThanOrEqualTo(PROPAGATION_LIMIT.toMillis());
      }
    }
    System.out.printf((secure ? "[TLS + tokens] " : "") + "multi-process serving: %d requests ok, 0 failed, %.0f retried by the gateway, %d versions "
        + "answered; propagation %s%n", ok.get(), retries, versionsAnswered.size(), lags);
  }

  private String httpGet(int port, String path) {
    return Blocking.await(web.get(port, "127.0.0.1", path).send(), Duration.ofSeconds(10)).bodyAsString();
  }

  /** The step in a checkpoint file name or version ("…checkpoint-000000120[.zip]"), or -1. */
  static long stepOf(String text) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("checkpoint-(\\d+)").matcher(text);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  private void awaitReplicasServing(int httpPort, int count, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        last = httpGet(httpPort, "/health");
        JsonArray replicas = new JsonObject(last).getJsonArray("replicas");
        long up = replicas.stream().map(o -> (JsonObject) o)
            .filter(r -> r.getString("state").equals("UP") && !r.getString("version").isEmpty()).count();
        if (up >= count) {
          return;
        }
      } catch (Exception notYet) {
        last = notYet.toString();
      }
      processes.forEach(p -> assertThat(p.process.isAlive()).as(p.name + " died:\n" + p.tail(40)).isTrue());
      Thread.sleep(500);
    }
    throw new AssertionError("replicas not serving within " + timeout + ": " + last);
  }

  private Future<Void> loop(HostPort gateway, int c, long end, AtomicInteger ok, List<String> failures,
      Map<String, Integer> versions) {
    Promise<Void> done = Promise.promise();
    vertx.runOnContext(v -> step(gateway, c, 0, end, ok, failures, versions, done));
    return done.future();
  }

  private void step(HostPort gateway, int c, int i, long end, AtomicInteger ok, List<String> failures,
      Map<String, Integer> versions, Promise<Void> done) {
    if (System.nanoTime() > end) {
      done.complete();
      return;
    }
    client.unary(gateway.socketAddress(), SamplingServiceGrpcClient.Sample,
            SampleRequest.newBuilder().setCount(8).setSeed(c * 100_000L + i).build(), 30_000)
        .onSuccess((SampleResponse r) -> {
          ok.incrementAndGet();
          versions.merge(r.getModelVersion(), 1, Integer::sum);
        })
        .onFailure(err -> failures.add(err.getMessage()))
        .onComplete(ar -> step(gateway, c, i + 1, end, ok, failures, versions, done));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
