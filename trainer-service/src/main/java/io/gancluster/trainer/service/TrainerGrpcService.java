package io.gancluster.trainer.service;

import io.gancluster.runtime.rpc.RpcErrors;
import io.gancluster.proto.v1.ProgressEvent;
import io.gancluster.proto.v1.StartTrainingRequest;
import io.gancluster.proto.v1.StatusRequest;
import io.gancluster.proto.v1.StopTrainingRequest;
import io.gancluster.proto.v1.TrainerServiceGrpcService;
import io.gancluster.proto.v1.TrainingStatus;
import io.gancluster.proto.v1.WatchProgressRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.server.GrpcServerResponse;
import io.vertx.grpc.server.StatusException;
import io.vertx.grpc.common.GrpcStatus;
import io.gancluster.proto.v1.CheckpointChunk;
import io.gancluster.proto.v1.CheckpointInfo;
import io.gancluster.proto.v1.FetchCheckpointRequest;
import io.gancluster.proto.v1.LatestCheckpointRequest;
import io.gancluster.trainer.publish.CheckpointPublisher;

/**
 * gRPC control of the {@link TrainingController} (start, stop, status, a progress stream) and the
 * published checkpoints that serving replicas stream from here.
 */
public final class TrainerGrpcService extends TrainerServiceGrpcService {
  /** Bytes per CheckpointChunk: well under the message limit, large enough to keep the stream busy. */
  public static final int CHUNK_BYTES = 1 << 20;

  private final TrainingController controller;
  private final Context context;
  private final CheckpointPublisher checkpoints;

  public TrainerGrpcService(TrainingController controller, Context context, CheckpointPublisher checkpoints) {
    this.controller = controller;
    this.context = context;
    this.checkpoints = checkpoints;
  }

  @Override
  public Future<CheckpointInfo> latestCheckpoint(LatestCheckpointRequest request) {
    return checkpoints.latest().map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(
        new StatusException(GrpcStatus.NOT_FOUND, "no checkpoint published yet (training step " + controller.status()
            .getStep() + ")")));
  }

  @Override
  protected void fetchCheckpoint(FetchCheckpointRequest request, WriteStream<CheckpointChunk> response) {
    GrpcServerResponse<?, CheckpointChunk> out = (GrpcServerResponse<?, CheckpointChunk>) response;
    CheckpointPublisher.Published p;
    try {
      p = checkpoints.lookup(request.getVersion());
    } catch (RuntimeException e) {
      out.fail(new StatusException(GrpcStatus.NOT_FOUND, e.getMessage()));
      return;
    }
    context.<byte[]>executeBlocking(() -> java.nio.file.Files.readAllBytes(p.file()), false)
        .onFailure(err -> out.fail(new StatusException(GrpcStatus.UNAVAILABLE, "cannot read " + p.info().getVersion()
            + ": " + err.getMessage())))
        .onSuccess(bytes -> new ChunkWriter(out, p.info(), bytes).writeSome());
  }

  /** Writes chunks while the stream accepts them, resuming on drain: memory stays at one file. */
  private static final class ChunkWriter {
    private final GrpcServerResponse<?, CheckpointChunk> out;
    private final CheckpointInfo info;
    private final byte[] bytes;
    private int offset;
    private boolean first = true;

    ChunkWriter(GrpcServerResponse<?, CheckpointChunk> out, CheckpointInfo info, byte[] bytes) {
      this.out = out;
      this.info = info;
      this.bytes = bytes;
    }

    void writeSome() {
      while (!out.writeQueueFull()) {
        int n = Math.min(CHUNK_BYTES, bytes.length - offset);
        CheckpointChunk.Builder chunk = CheckpointChunk.newBuilder()
            .setData(com.google.protobuf.ByteString.copyFrom(bytes, offset, n));
        if (first) {
          chunk.setInfo(info);
          first = false;
        }
        offset += n;
        if (offset >= bytes.length) {
          out.end(chunk.build());
          return;
        }
        out.write(chunk.build());
      }
      out.drainHandler(v -> writeSome());
    }
  }

  @Override
  public Future<TrainingStatus> start(StartTrainingRequest request) {
    if (request.getMaxSteps() != 0) {
      return Future.failedFuture(RpcErrors.invalidArgument(
          "max_steps is fixed by the run configuration; restart the trainer with --max-steps to change it"));
    }
    try {
      return Future.succeededFuture(controller.start());
    } catch (RuntimeException e) {
      return Future.failedFuture(RpcErrors.toStatus(e));
    }
  }

  @Override
  public Future<TrainingStatus> stop(StopTrainingRequest request) {
    return Future.succeededFuture(controller.stop());
  }

  @Override
  public Future<TrainingStatus> status(StatusRequest request) {
    return Future.succeededFuture(controller.status());
  }

  @Override
  protected void watchProgress(WatchProgressRequest request, WriteStream<ProgressEvent> response) {
    // events come from the training thread; write them on this service's context
    Runnable[] unsubscribe = new Runnable[1];
    unsubscribe[0] = controller.subscribe(e -> context.runOnContext(v -> {
      try {
        if (!response.writeQueueFull()) {
          response.write(e); // a slow watcher misses events rather than buffering without bound
        }
      } catch (IllegalStateException cancelled) {
        // Vert.x reports a client's cancel only here: the stream refuses writes from then on
        unsubscribe[0].run();
      }
    }));
    if (response instanceof GrpcServerResponse<?, ?> r) {
      r.exceptionHandler(err -> unsubscribe[0].run());
    }
  }
}
