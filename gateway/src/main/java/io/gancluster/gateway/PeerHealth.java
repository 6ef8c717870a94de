package io.gancluster.gateway;

import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.client.RpcClient;
import io.gancluster.proto.v1.GeneratorServiceGrpcService;
import io.gancluster.proto.v1.TrainerServiceGrpcService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.health.v1.HealthCheckResponse;
import io.gancluster.gateway.replicas.Replica;
import io.gancluster.gateway.replicas.ReplicaPool;
import java.util.List;

/**
 * Asks the gateway's peers whether they serve, through the standard grpc.health.v1 Check they all
 * register. Health is answered on the peer's event loop, so a generator busy training still answers
 * quickly (a Sample or Describe call would queue behind the training steps on its worker).
 */
public final class PeerHealth {
  public static final String UP = "UP";
  public static final String DOWN = "DOWN";
  /** No trainer is configured. */
  public static final String NONE = "NONE";
  /** Short: /health must answer even when a peer hangs. */
  public static final long TIMEOUT_MS = 2_000;

  private static final ServiceMethod<HealthCheckResponse, HealthCheckRequest> CHECK = ServiceMethod.client(
      ServiceName.create("grpc.health.v1", "Health"), "Check",
      GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(HealthCheckResponse.newBuilder()));

  private final RpcClient client;
  private final ReplicaPool generators;
  private final HostPort trainer;

  /** {@code trainer} may be null (reported as NONE). */
  public PeerHealth(RpcClient client, ReplicaPool generators, HostPort trainer) {
    this.client = client;
    this.generators = generators;
    this.trainer = trainer;
  }

  /** Succeeds when {@code peer} reports {@code service} SERVING; fails with the reason otherwise. */
  public static Future<Void> check(RpcClient client, HostPort peer, ServiceName service) {
    HealthCheckRequest request = HealthCheckRequest.newBuilder().setService(service.fullyQualifiedName()).build();
    return client.unary(peer.socketAddress(), CHECK, request, TIMEOUT_MS).compose(resp ->
        resp.getStatus() == HealthCheckResponse.ServingStatus.SERVING ? Future.succeededFuture()
            : Future.failedFuture(peer + " reports " + resp.getStatus()));
  }

  /**
   * {@code {"status":"UP","generator":"UP|DOWN","replicas":[...],"trainer":"UP|DOWN|NONE"}}: the
   * gateway itself is UP whenever it answers; {@code generator} is UP while at least one replica is,
   * {@code replicas} gives each one's state, version and last error, and {@code errors} says why a
   * peer is DOWN. Never fails.
   */
  public Future<JsonObject> report() {
    JsonObject errors = new JsonObject();
    List<String> generatorErrors = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Future<Void>> checks = generators.replicas().stream().filter(r -> r.source() == Replica.Source.DISCOVERED
        || r.state() != Replica.State.DOWN).map(r -> check(client, r.address(), GeneratorServiceGrpcService.SERVICE_NAME)
        .onFailure(err -> generatorErrors.add(String.valueOf(err.getMessage())))).toList();
    Future<String> gen = Future.join(new java.util.ArrayList<>(checks)).transform(ar ->
        Future.succeededFuture(checks.stream().anyMatch(Future::succeeded) ? UP : DOWN));
    Future<String> tr = trainer == null ? Future.succeededFuture(NONE)
        : check(trainer, TrainerServiceGrpcService.SERVICE_NAME, "trainer", errors);
    return Future.join(gen, tr).transform(ignored -> {
      if (generators.replicas().isEmpty()) {
        errors.put("generator", "no generator replica known: none configured and none discovered");
      } else if (!generatorErrors.isEmpty()) {
        errors.put("generator", String.join("; ", generatorErrors));
      }
      JsonObject json = new JsonObject().put("status", UP).put("generator", gen.result())
          .put("replicas", generators.toJson()).put("trainer", tr.result());
      if (!errors.isEmpty()) {
        json.put("errors", errors);
      }
      return Future.succeededFuture(json);
    });
  }

  private Future<String> check(HostPort peer, ServiceName service, String key, JsonObject errors) {
    return check(client, peer, service).map(v -> UP).otherwise(err -> {
      errors.put(key, String.valueOf(err.getMessage()).contains(peer.toString()) ? err.getMessage()
          : peer + ": " + err.getMessage());
      return DOWN;
    });
  }
}
