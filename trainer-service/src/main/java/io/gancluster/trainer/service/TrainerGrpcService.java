package io.gancluster.trainer.service;

import io.gancluster.core.rpc.RpcErrors;
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

/** gRPC control of the {@link TrainingController}: start, stop, status and a progress stream. */
public final class TrainerGrpcService extends TrainerServiceGrpcService {
  private final TrainingController controller;
  private final Context context;

  public TrainerGrpcService(TrainingController controller, Context context) {
    this.controller = controller;
    this.context = context;
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
