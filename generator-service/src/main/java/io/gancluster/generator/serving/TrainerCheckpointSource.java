package io.gancluster.generator.serving;

import io.gancluster.core.checkpoint.CheckpointException;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.client.RpcClient;
import io.gancluster.runtime.rpc.RpcException;
import io.gancluster.proto.v1.CheckpointChunk;
import io.gancluster.proto.v1.CheckpointInfo;
import io.gancluster.proto.v1.FetchCheckpointRequest;
import io.gancluster.proto.v1.LatestCheckpointRequest;
import io.gancluster.proto.v1.TrainerServiceGrpcClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.grpc.common.GrpcStatus;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * Streams checkpoints from trainer-service (FetchCheckpoint) and verifies them: size and SHA-256
 * must match what the trainer announced in the first chunk, so a cut or corrupted transfer is never
 * loaded. No shared disk is needed between trainer and replicas.
 */
public final class TrainerCheckpointSource implements CheckpointSource {
  public static final long TIMEOUT_MS = 120_000;
  /** Refuse anything larger: the biggest preset's checkpoint is ~200 MB. */
  public static final long MAX_BYTES = 1L << 31;

  private final RpcClient client;
  private final HostPort trainer;

  public TrainerCheckpointSource(RpcClient client, HostPort trainer) {
    this.client = client;
    this.trainer = trainer;
  }

  @Override
  public Future<CheckpointInfo> latest() {
    return client.unary(trainer.socketAddress(), TrainerServiceGrpcClient.LatestCheckpoint,
        LatestCheckpointRequest.getDefaultInstance(), 10_000);
  }

  @Override
  public Future<Fetched> fetch(String version) {
    Promise<Fetched> done = Promise.promise();
    io.vertx.grpc.client.GrpcClientRequest<?, ?>[] call = new io.vertx.grpc.client.GrpcClientRequest<?, ?>[1];
    client.grpc().request(trainer.socketAddress(), TrainerServiceGrpcClient.FetchCheckpoint)
        .compose(req -> {
          call[0] = req;
          client.authorize(req);
          req.timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS);
          return req.send(FetchCheckpointRequest.newBuilder().setVersion(version).build());
        })
        .onFailure(err -> done.tryFail(new RpcException(GrpcStatus.UNAVAILABLE,
            "cannot reach trainer " + trainer + " for " + version + ": " + err.getMessage(), err)))
        .onSuccess(resp -> {
          ByteArrayOutputStream bytes = new ByteArrayOutputStream();
          CheckpointInfo[] info = new CheckpointInfo[1];
          resp.handler((CheckpointChunk chunk) -> {
            if (chunk.hasInfo()) {
              info[0] = chunk.getInfo();
            }
            if (bytes.size() + (long) chunk.getData().size() > MAX_BYTES) {
              done.tryFail(new CheckpointException(version + ": larger than " + MAX_BYTES + " bytes; refused"));
              call[0].cancel();
              return;
            }
            bytes.writeBytes(chunk.getData().toByteArray());
          });
          resp.exceptionHandler(err -> done.tryFail(new RpcException(GrpcStatus.UNAVAILABLE,
              "checkpoint stream from " + trainer + " broke: " + err.getMessage(), err)));
          resp.endHandler(v -> {
            if (resp.status() != null && resp.status() != GrpcStatus.OK) {
              done.tryFail(new RpcException(resp.status(), resp.statusMessage() + " (from trainer " + trainer + ")"));
              return;
            }
            try {
              done.tryComplete(new Fetched(info[0], verify(version, info[0], bytes.toByteArray())));
            } catch (CheckpointException e) {
              done.tryFail(e);
            }
          });
        });
    return done.future();
  }

  /** The bytes, if they are what the trainer announced; otherwise a CheckpointException saying why. */
  static byte[] verify(String version, CheckpointInfo info, byte[] bytes) {
    if (info == null) {
      throw new CheckpointException(version + ": the trainer sent no checkpoint info");
    }
    if (info.getSizeBytes() != bytes.length) {
      throw new CheckpointException(version + ": received " + bytes.length + " bytes, the trainer announced "
          + info.getSizeBytes() + " (transfer cut short)");
    }
    String sha = sha256(bytes);
    if (!sha.equalsIgnoreCase(info.getSha256())) {
      throw new CheckpointException(version + ": SHA-256 " + sha + " does not match the announced "
          + info.getSha256() + " (corrupted in transfer or on disk)");
    }
    return bytes;
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String describe() {
    return "trainer " + trainer;
  }
}
