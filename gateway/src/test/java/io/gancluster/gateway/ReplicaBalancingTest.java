package io.gancluster.gateway;

import static io.gancluster.gateway.TestSupport.await;
import static io.gancluster.gateway.TestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.gancluster.core.checkpoint.Checkpoint;
import io.gancluster.core.checkpoint.CheckpointStore;
import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.model.recipe.Presets;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.client.RpcClient;
import io.gancluster.gateway.replicas.Replica;
import io.gancluster.generator.GeneratorTrainer;
import io.gancluster.generator.serving.FileCheckpointSource;
import io.gancluster.generator.serving.ServingOptions;
import io.gancluster.generator.serving.ServingVerticle;
import io.gancluster.proto.v1.SampleRequest;
import io.gancluster.proto.v1.SampleResponse;
import io.gancluster.proto.v1.SamplingServiceGrpcClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The gateway over serving replicas it discovers from their heartbeats plus one configured replica
 * that is down: requests are spread round robin, the dead one is retried around, a replica that
 * drains away mid-load costs no request, and /health reports each replica.
 */
class ReplicaBalancingTest {
  private Vertx vertx;
  private RpcClient client;

  @TempDir
  Path tmp;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    client = RpcClient.plain(vertx);
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
  }

  private Path checkpoint() {
    Preset tiny = Presets.get("tiny");
    GeneratorTrainer g = new GeneratorTrainer(tiny, DataType.FLOAT, 11);
    return new CheckpointStore(tmp.resolve("run/checkpoints"), 1).write(new Checkpoint(30, 0, 1,
        Map.of("preset", "tiny", "generator", tiny.generatorRecipe(), "latent", tiny.model().latent().cliName()),
        g.exportState(), new byte[0]));
  }

  private ServingVerticle replica(Path checkpoint, int i) throws Exception {
    ServingVerticle v = new ServingVerticle(new ServingOptions().setPort(0).setReplicaId("r" + i).setHeartbeatMs(200)
        .setDrainGraceMs(300), x -> new FileCheckpointSource(x, checkpoint));
    await(vertx.deployVerticle(v));
    return v;
  }

  @Test
  void spreadsRequestsRetriesAroundADeadReplicaAndLosesNoneWhenOneDrainsAway() throws Exception {
    Path file = checkpoint();
    List<ServingVerticle> replicas = new ArrayList<>();
    List<String> deployments = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      replicas.add(replica(file, i));
      deployments.add(vertx.deploymentIDs().stream().filter(id -> !deployments.contains(id)).findFirst().orElseThrow());
    }
    HostPort dead = new HostPort("127.0.0.1", TestSupport.closedPort());
    GatewayVerticle gateway = new GatewayVerticle(new GatewayOptions().setHttpPort(0).setGrpcPort(0)
        .setGenerators(List.of(dead)));
    await(vertx.deployVerticle(gateway));
    eventually(() -> gateway.replicas().replicas().stream()
        .filter(r -> r.state() == Replica.State.UP && r.source() == Replica.Source.DISCOVERED).count() == 3,
        Duration.ofSeconds(30), "3 replicas discovered and serving");

    SocketAddress address = SocketAddress.inetSocketAddress(gateway.actualGrpcPort(), "127.0.0.1");
    AtomicInteger ok = new AtomicInteger();
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    Map<String, Integer> versions = new ConcurrentHashMap<>();
    long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
    List<Future<Void>> clients = new ArrayList<>();
    for (int c = 0; c < 16; c++) {
      clients.add(loop(address, c, end, ok, failures, versions));
    }
    Thread.sleep(1500);
    await(vertx.undeploy(deployments.get(1))); // drains: heartbeat DRAINING, grace, then refuse and close
    await(Future.all(clients), 60);

    assertThat(failures).as("failed requests").isEmpty();
    assertThat(ok.get()).isGreaterThan(50);
    assertThat(versions.keySet()).containsExactly("run/checkpoint-000000030");
    List<Replica> known = gateway.replicas().replicas();
    assertThat(known.stream().filter(r -> r.source() == Replica.Source.DISCOVERED)).hasSize(2);
    assertThat(known.stream().filter(r -> r.address().equals(dead)).findFirst().orElseThrow().state())
        .isEqualTo(Replica.State.DOWN);
    String scrape = gateway.metrics().registry().scrape();
    assertThat(TestSupport.sample(scrape, "gan_gateway_retries_total")).as("retries around the dead replica")
        .isGreaterThan(0);

    JsonObject health = new JsonObject(await(WebClient.create(vertx).get(gateway.actualHttpPort(), "127.0.0.1",
        "/health").send()).bodyAsString());
    assertThat(health.getString("generator")).isEqualTo("UP");
    List<JsonObject> reported = health.getJsonArray("replicas").stream().map(o -> (JsonObject) o).toList();
    assertThat(reported).hasSize(3);
    assertThat(reported.stream().filter(r -> r.getString("state").equals("UP")).mapToLong(r -> r.getLong("ok")))
        .as("each live replica served its share").allMatch(n -> n > 5);
    assertThat(reported.stream().filter(r -> r.getString("address").equals(dead.toString())).findFirst().orElseThrow()
        .getString("lastError")).contains(dead.toString());
  }

  private Future<Void> loop(SocketAddress gateway, int c, long end, AtomicInteger ok, List<Throwable> failures,
      Map<String, Integer> versions) {
    Promise<Void> done = Promise.promise();
    step(gateway, c, 0, end, ok, failures, versions, done);
    return done.future();
  }

  private void step(SocketAddress gateway, int c, int i, long end, AtomicInteger ok, List<Throwable> failures,
      Map<String, Integer> versions, Promise<Void> done) {
    if (System.nanoTime() > end) {
      done.complete();
      return;
    }
    client.unary(gateway, SamplingServiceGrpcClient.Sample,
            SampleRequest.newBuilder().setCount(4).setSeed(c * 1000L + i).build(), 30_000)
        .onSuccess((SampleResponse r) -> {
          ok.incrementAndGet();
          versions.merge(r.getModelVersion(), 1, Integer::sum);
        })
        .onFailure(failures::add)
        .onComplete(ar -> step(gateway, c, i + 1, end, ok, failures, versions, done));
  }
}
