package io.gancluster.gateway;

import io.gancluster.core.rpc.HostPort;
import io.gancluster.core.rpc.RpcCall;
import io.gancluster.proto.v1.GeneratorServiceGrpcService;
import io.gancluster.proto.v1.TrainerServiceGrpcService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.health.v1.HealthCheckResponse;

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

  private final GrpcClient client;
  private final HostPort generator;
  private final HostPort trainer;

  /** {@code trainer} may be null (reported as NONE). */
  public PeerHealth(GrpcClient client, HostPort generator, HostPort trainer) {
    this.client = client;
    this.generator = generator;
    this.trainer = trainer;
  }

  /**
   * {@code {"status":"UP","generator":"UP|DOWN","trainer":"UP|DOWN|NONE"}}; the gateway itself is UP
   * whenever it answers, and {@code errors} says why a peer is DOWN. Never fails.
   */
  public Future<JsonObject> report() {
    JsonObject errors = new JsonObject();
    Future<String> gen = check(generator, GeneratorServiceGrpcService.SERVICE_NAME, "generator", errors);
    Future<String> tr = trainer == null ? Future.succeededFuture(NONE)
        : check(trainer, TrainerServiceGrpcService.SERVICE_NAME, "trainer", errors);
    return Future.join(gen, tr).transform(ignored -> {
      JsonObject json = new JsonObject().put("status", UP).put("generator", gen.result()).put("trainer", tr.result());
      if (!errors.isEmpty()) {
        json.put("errors", errors);
      }
      return Future.succeededFuture(json);
    });
  }

  private Future<String> check(HostPort peer, ServiceName service, String key, JsonObject errors) {
    HealthCheckRequest request = HealthCheckRequest.newBuilder().setService(service.fullyQualifiedName()).build();
    return RpcCall.unary(client, peer.socketAddress(), CHECK, request, TIMEOUT_MS)
        .map(resp -> {
          if (resp.getStatus() == HealthCheckResponse.ServingStatus.SERVING) {
            return UP;
          }
          errors.put(key, peer + " reports " + resp.getStatus());
          return DOWN;
        })
        .otherwise(err -> {
          errors.put(key, peer + ": " + err.getMessage());
          return DOWN;
        });
  }
}
