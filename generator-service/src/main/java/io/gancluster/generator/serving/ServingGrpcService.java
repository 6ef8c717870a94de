package io.gancluster.generator.serving;

import io.gancluster.runtime.networkservice.NetworkStateRpc;
import io.gancluster.runtime.rpc.ModelVersions;
import io.gancluster.runtime.rpc.RpcErrors;
import io.gancluster.generator.GeneratorGrpcService;
import io.gancluster.proto.v1.ApplyGradientRequest;
import io.gancluster.proto.v1.ApplyGradientResponse;
import io.gancluster.proto.v1.DescribeRequest;
import io.gancluster.proto.v1.ExportStateRequest;
import io.gancluster.proto.v1.GenerateRequest;
import io.gancluster.proto.v1.GenerateResponse;
import io.gancluster.proto.v1.GeneratorServiceGrpcService;
import io.gancluster.proto.v1.GetModelInfoRequest;
import io.gancluster.proto.v1.ImportStateResponse;
import io.gancluster.proto.v1.ModelInfo;
import io.gancluster.proto.v1.NetworkInfo;
import io.gancluster.proto.v1.NetworkStateBlob;
import io.gancluster.proto.v1.GeneratorSampleRequest;
import io.gancluster.proto.v1.GeneratorSampleResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * generator-service's gRPC face in serving mode: Sample through the {@link SampleBatcher}, model info
 * of the version being served. Training and state calls are refused: a serving replica only reads
 * checkpoints, it never trains or takes state from a caller.
 */
public final class ServingGrpcService extends GeneratorServiceGrpcService {
  private final SampleBatcher batcher;
  private final AtomicReference<ServedModel> current;
  private final ServingMetrics metrics;
  private final int maxSamples;
  private final Context context;

  public ServingGrpcService(SampleBatcher batcher, AtomicReference<ServedModel> current, ServingMetrics metrics,
      int maxSamples, Context context) {
    this.batcher = batcher;
    this.current = current;
    this.metrics = metrics;
    this.maxSamples = maxSamples;
    this.context = context;
  }

  @Override
  public Future<GeneratorSampleResponse> sample(GeneratorSampleRequest request) {
    int count = request.getCount();
    if (count < 1 || count > maxSamples) {
      metrics.invalid();
      return Future.failedFuture(RpcErrors.invalidArgument("count must be between 1 and " + maxSamples + ", got " + count));
    }
    String pinned = request.getModelVersion();
    if (!pinned.isEmpty()) {
      // refused here at once when another version is served; the batcher checks again against the model it runs
      ServedModel m = current.get();
      try {
        ModelVersions.check(pinned, "model_version");
      } catch (IllegalArgumentException e) {
        metrics.invalid();
        return Future.failedFuture(RpcErrors.invalidArgument(e.getMessage()));
      }
      if (m != null && !pinned.equals(m.version())) {
        metrics.invalid();
        return Future.failedFuture(ModelVersions.notHeld(pinned, m.version()));
      }
    }
    long started = System.nanoTime();
    return Future.fromCompletionStage(batcher.submit(request), context)
        .recover(err -> Future.failedFuture(RpcErrors.toStatus(err)))
        .andThen(ar -> {
          if (ar.succeeded()) {
            metrics.answered("ok", System.nanoTime() - started);
          } else if (ar.cause() instanceof StatusException s && s.status() == GrpcStatus.UNAVAILABLE) {
            metrics.answered("unavailable", System.nanoTime() - started);
          } else if (ar.cause() instanceof StatusException s && s.status() != GrpcStatus.INVALID_ARGUMENT
              && s.status() != GrpcStatus.RESOURCE_EXHAUSTED && s.status() != GrpcStatus.FAILED_PRECONDITION) {
            metrics.answered("error", System.nanoTime() - started);
          }
        });
  }

  @Override
  public Future<ModelInfo> getModelInfo(GetModelInfoRequest request) {
    ServedModel m = current.get();
    if (m == null) {
      return Future.failedFuture(noModel());
    }
    return Future.succeededFuture(ModelInfo.newBuilder().setVersion(m.version()).addAllLabelNames(m.labelNames())
        .setClasses(m.classes()).setUpdates(m.generator().updates()).build());
  }

  @Override
  public Future<NetworkInfo> describe(DescribeRequest request) {
    ServedModel m = current.get();
    if (m == null) {
      return Future.failedFuture(noModel());
    }
    return Future.succeededFuture(NetworkStateRpc.describe(GeneratorGrpcService.NETWORK, m.generator()));
  }

  @Override
  public Future<GenerateResponse> generate(GenerateRequest request) {
    return servingOnly("Generate");
  }

  @Override
  public Future<ApplyGradientResponse> applyGradient(ApplyGradientRequest request) {
    return servingOnly("ApplyGradient");
  }

  @Override
  public Future<NetworkStateBlob> exportState(ExportStateRequest request) {
    return servingOnly("ExportState");
  }

  @Override
  public Future<ImportStateResponse> importState(NetworkStateBlob request) {
    return servingOnly("ImportState");
  }

  @Override
  public Future<ModelInfo> publishModel(ModelInfo request) {
    return servingOnly("PublishModel");
  }

  private static <T> Future<T> servingOnly(String call) {
    return Future.failedFuture(new StatusException(GrpcStatus.FAILED_PRECONDITION, call
        + " is a training call; this generator-service replica only serves samples (models come from the trainer's "
        + "published checkpoints)"));
  }

  private static StatusException noModel() {
    return new StatusException(GrpcStatus.UNAVAILABLE, "no model loaded yet: waiting for the trainer's first checkpoint");
  }
}
