package io.gancluster.generator;

import io.gancluster.core.model.graph.Labels;
import io.gancluster.runtime.networkservice.NetworkServiceOptions;
import io.gancluster.runtime.networkservice.NetworkStateRpc;
import io.gancluster.runtime.rpc.ModelVersions;
import io.gancluster.runtime.rpc.RpcErrors;
import io.gancluster.runtime.tensor.TensorCodec;
import io.gancluster.proto.v1.ApplyGradientRequest;
import io.gancluster.proto.v1.ApplyGradientResponse;
import io.gancluster.proto.v1.DescribeRequest;
import io.gancluster.proto.v1.ExportStateRequest;
import io.gancluster.proto.v1.GenerateRequest;
import io.gancluster.proto.v1.GetModelInfoRequest;
import io.gancluster.proto.v1.ModelInfo;
import io.gancluster.proto.v1.GenerateResponse;
import io.gancluster.proto.v1.GeneratorServiceGrpcService;
import io.gancluster.proto.v1.ImportStateResponse;
import io.gancluster.proto.v1.NetworkInfo;
import io.gancluster.proto.v1.NetworkStateBlob;
import io.gancluster.proto.v1.GeneratorSampleRequest;
import io.gancluster.proto.v1.GeneratorSampleResponse;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * gRPC face of {@link GeneratorTrainer}. Every call that touches the network runs on the one worker
 * thread that owns it (never on the event loop); errors become gRPC statuses with their message.
 */
public final class GeneratorGrpcService extends GeneratorServiceGrpcService {
  public static final String NETWORK = "generator";
  /** Longest model version (checkpoint id) accepted from PublishModel. */
  public static final int MAX_VERSION_CHARS = ModelVersions.MAX_CHARS;

  private final GeneratorTrainer trainer;
  private final WorkerExecutor worker;
  private final NetworkServiceOptions options;
  /** What the trainer last published; touched on the worker thread only. */
  private ModelInfo published = ModelInfo.getDefaultInstance();

  public GeneratorGrpcService(GeneratorTrainer trainer, WorkerExecutor worker, NetworkServiceOptions options) {
    this.trainer = trainer;
    this.worker = worker;
    this.options = options;
  }

  @Override
  public Future<GenerateResponse> generate(GenerateRequest request) {
    return onWorker(() -> {
      INDArray z = TensorCodec.decode(request.getZ(), "z", new long[] {-1, trainer.zDim()}, options.getMaxBatch());
      int[] labels = Labels.check(request.getLabelsList(), (int) z.size(0), trainer.classes(), "labels");
      INDArray images = trainer.generate(request.getStepId(), z, labels, request.getKeepForBackward());
      return GenerateResponse.newBuilder().setStepId(request.getStepId()).setImages(TensorCodec.encode(images)).build();
    });
  }

  @Override
  public Future<ApplyGradientResponse> applyGradient(ApplyGradientRequest request) {
    return onWorker(() -> {
      INDArray grad = request.getSkip() ? null : TensorCodec.decode(request.getGradImages(), "grad_images",
          new long[] {-1, 1, 28, 28}, options.getMaxBatch());
      double norm = trainer.applyGradient(request.getStepId(), grad);
      return ApplyGradientResponse.newBuilder().setStepId(request.getStepId()).setUpdates(trainer.updates())
          .setGradNorm(norm).setSkipped(trainer.lastSkipped()).build();
    });
  }

  @Override
  public Future<GeneratorSampleResponse> sample(GeneratorSampleRequest request) {
    int count = request.getCount();
    if (count < 1 || count > options.getMaxSamples()) {
      return Future.failedFuture(RpcErrors.invalidArgument(
          "count must be between 1 and " + options.getMaxSamples() + ", got " + count));
    }
    return onWorker(() -> {
      ModelVersions.check(request.getModelVersion(), "model_version");
      String version = modelVersion();
      if (!request.getModelVersion().isEmpty() && !request.getModelVersion().equals(version)) {
        throw ModelVersions.notHeld(request.getModelVersion(), version);
      }
      int[] labels = trainer.sampleLabels(count, sampleLabels(request));
      return GeneratorSampleResponse.newBuilder()
          .setImages(TensorCodec.encode(trainer.sample(count, request.getSeed(), labels, request.getTruncation())))
          .addAllLabels(Labels.boxed(labels))
          .setModelVersion(version)
          .build();
    });
  }

  @Override
  public Future<NetworkStateBlob> exportState(ExportStateRequest request) {
    return onWorker(() -> NetworkStateRpc.export(NETWORK, trainer));
  }

  @Override
  public Future<ImportStateResponse> importState(NetworkStateBlob request) {
    return onWorker(() -> NetworkStateRpc.importInto(NETWORK, trainer, request));
  }

  @Override
  public Future<NetworkInfo> describe(DescribeRequest request) {
    return onWorker(() -> NetworkStateRpc.describe(NETWORK, trainer));
  }

  @Override
  public Future<ModelInfo> publishModel(ModelInfo request) {
    return onWorker(() -> {
      ModelVersions.check(request.getVersion(), "version");
      if (trainer.classes() == 0 && request.getLabelNamesCount() > 0) {
        throw new IllegalArgumentException("this model is unconditional; it takes no label names, got "
            + request.getLabelNamesCount());
      }
      if (trainer.classes() > 0 && request.getLabelNamesCount() != trainer.classes()) {
        throw new IllegalArgumentException("this model has " + trainer.classes() + " classes, got "
            + request.getLabelNamesCount() + " label names");
      }
      published = request.toBuilder().setUpdates(trainer.updates()).setClasses(trainer.classes()).build();
      return published;
    });
  }

  @Override
  public Future<ModelInfo> getModelInfo(GetModelInfoRequest request) {
    return onWorker(() -> published.toBuilder().setClasses(trainer.classes()).setVersion(modelVersion()).build());
  }

  private int[] sampleLabels(GeneratorSampleRequest request) {
    return SampleLabels.resolve(request, trainer.classes(), published.getLabelNamesList());
  }

  /** The published checkpoint id, plus the updates since (while training), or the update count alone. */
  private String modelVersion() {
    if (published.getVersion().isEmpty()) {
      return NETWORK + "-updates-" + trainer.updates();
    }
    long since = trainer.updates() - published.getUpdates();
    return since == 0 ? published.getVersion() : published.getVersion() + "+" + since + "-updates";
  }

  private <T> Future<T> onWorker(Callable<T> work) {
    return worker.<T>executeBlocking(work).recover(t -> Future.failedFuture(RpcErrors.toStatus(t)));
  }
}
