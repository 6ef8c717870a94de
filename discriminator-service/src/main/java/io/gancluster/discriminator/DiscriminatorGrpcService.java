package io.gancluster.discriminator;

import io.gancluster.runtime.networkservice.NetworkServiceOptions;
import io.gancluster.runtime.networkservice.NetworkStateRpc;
import io.gancluster.runtime.rpc.RpcErrors;
import io.gancluster.runtime.tensor.TensorCodec;
import io.gancluster.proto.v1.DescribeRequest;
import io.gancluster.proto.v1.DiscriminatorServiceGrpcService;
import io.gancluster.proto.v1.DiscriminatorStepRequest;
import io.gancluster.proto.v1.DiscriminatorStepResponse;
import io.gancluster.proto.v1.ExportStateRequest;
import io.gancluster.proto.v1.GeneratorGradientRequest;
import io.gancluster.proto.v1.GeneratorGradientResponse;
import io.gancluster.proto.v1.ImportStateResponse;
import io.gancluster.proto.v1.NetworkInfo;
import io.gancluster.proto.v1.NetworkStateBlob;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * gRPC face of {@link DiscriminatorTrainer}; network work runs on its single worker thread and
 * errors become gRPC statuses with their message.
 */
public final class DiscriminatorGrpcService extends DiscriminatorServiceGrpcService {
  public static final String NETWORK = "discriminator";
  private static final long[] IMAGES = {-1, 1, 28, 28};

  private final DiscriminatorTrainer trainer;
  private final WorkerExecutor worker;
  private final NetworkServiceOptions options;

  public DiscriminatorGrpcService(DiscriminatorTrainer trainer, WorkerExecutor worker, NetworkServiceOptions options) {
    this.trainer = trainer;
    this.worker = worker;
    this.options = options;
  }

  @Override
  public Future<DiscriminatorStepResponse> trainStep(DiscriminatorStepRequest request) {
    return onWorker(() -> {
      INDArray real = TensorCodec.decode(request.getReal(), "real", IMAGES, options.getMaxBatch());
      INDArray fake = TensorCodec.decode(request.getFake(), "fake", IMAGES, options.getMaxBatch());
      DiscriminatorTrainer.StepResult r = trainer.trainStep(request.getStepId(), real,
          labels(request.getRealLabelsList()), fake, labels(request.getFakeLabelsList()));
      return DiscriminatorStepResponse.newBuilder().setStepId(request.getStepId()).setLoss(r.loss())
          .setRealScore(r.realScore()).setFakeScore(r.fakeScore()).setUpdates(r.updates())
          .setWassersteinEstimate(r.wassersteinEstimate()).setGradientPenalty(r.penalty())
          .setCriticGradNorm(r.gradNorm()).setSkipped(r.skipped()).build();
    });
  }

  @Override
  public Future<GeneratorGradientResponse> generatorGradient(GeneratorGradientRequest request) {
    return onWorker(() -> {
      INDArray fake = TensorCodec.decode(request.getFake(), "fake", IMAGES, options.getMaxBatch());
      INDArray real = request.hasReal()
          ? TensorCodec.decode(request.getReal(), "real", IMAGES, options.getMaxBatch()) : null;
      DiscriminatorTrainer.GeneratorGradient g = trainer.generatorGradient(request.getStepId(), fake, labels(request.getFakeLabelsList()),
          real);
      GeneratorGradientResponse.Builder resp = GeneratorGradientResponse.newBuilder().setStepId(request.getStepId())
          .setLoss(g.loss()).setSkipped(g.skipped());
      if (!g.skipped()) {
        resp.setGradImages(TensorCodec.encode(g.gradImages()));
      }
      return resp.build();
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

  /** Labels as sent; the trainer checks them against the batch and the model's classes. */
  private static int[] labels(java.util.List<Integer> labels) {
    return labels.isEmpty() ? null : labels.stream().mapToInt(Integer::intValue).toArray();
  }

  private <T> Future<T> onWorker(Callable<T> work) {
    return worker.<T>executeBlocking(work).recover(t -> Future.failedFuture(RpcErrors.toStatus(t)));
  }
}
