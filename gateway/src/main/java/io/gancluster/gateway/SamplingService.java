package io.gancluster.gateway;

import io.gancluster.runtime.rpc.ModelVersions;
import io.gancluster.runtime.rpc.RpcErrors;
import io.gancluster.runtime.rpc.RpcException;
import io.gancluster.gateway.GanMetrics.Api;
import io.gancluster.gateway.GanMetrics.Outcome;
import io.gancluster.client.GeneratorClient;
import io.gancluster.core.image.ImageGrid;
import io.gancluster.runtime.tensor.TensorCodec;
import io.gancluster.proto.v1.GeneratorSampleRequest;
import io.gancluster.proto.v1.GeneratorSampleResponse;
import io.gancluster.proto.v1.GetModelInfoRequest;
import io.gancluster.proto.v1.ModelInfo;
import io.gancluster.gateway.replicas.ReplicaPool;
import io.gancluster.proto.v1.ImageFormat;
import org.nd4j.linalg.api.ndarray.INDArray;
import io.gancluster.proto.v1.ListLabelsRequest;
import io.gancluster.proto.v1.ListLabelsResponse;
import io.gancluster.proto.v1.SampleRequest;
import io.gancluster.proto.v1.SampleResponse;
import io.gancluster.proto.v1.SamplingServiceGrpcService;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;

/**
 * The public Sample call: checks the request, forwards it to generator-service, and measures it.
 * Shared by the gRPC API (as this service) and the HTTP API (through {@link #sample(SampleRequest, Api)}).
 * The public messages (sampling.proto) are the gateway's own: it copies a request into generator-service's
 * {@link GeneratorSampleRequest} and the answer back, converting the images to the format asked for.
 *
 * <p>Failures are {@link StatusException}s: INVALID_ARGUMENT for the caller's mistakes,
 * FAILED_PRECONDITION for a pinned model version no replica holds (naming those they hold),
 * RESOURCE_EXHAUSTED when the replicas are full, UNAVAILABLE naming the generator when it cannot be
 * reached or fails.
 */
public final class SamplingService extends SamplingServiceGrpcService {
  private final ReplicaPool generators;
  private final GanMetrics metrics;
  private final int maxSamples;

  /** Over the generator replicas of {@code generators}, round robin, retrying UNAVAILABLE elsewhere. */
  public SamplingService(ReplicaPool generators, GanMetrics metrics, int maxSamples) {
    this.generators = generators;
    this.metrics = metrics;
    this.maxSamples = maxSamples;
  }

  /** Over one generator (tests, and gateways wired to a single generator). */
  public SamplingService(GeneratorClient generator, GanMetrics metrics, int maxSamples) {
    this(ReplicaPool.single(generator, metrics.registry()), metrics, maxSamples);
  }

  public int maxSamples() {
    return maxSamples;
  }

  /** The gRPC entry point. */
  @Override
  public Future<SampleResponse> sample(SampleRequest request) {
    return sample(request, Api.GRPC);
  }

  /** Samples on behalf of {@code api} (which only tags the metrics). */
  public Future<SampleResponse> sample(SampleRequest request, Api api) {
    long started = System.nanoTime();
    int count = request.getCount();
    String invalid = count < 1 || count > maxSamples ? "count must be between 1 and " + maxSamples + ", got " + count
        : request.getFormat() == ImageFormat.UNRECOGNIZED ? "unknown format " + request.getFormatValue()
            + "; known: IMAGE_FORMAT_FLOAT32 (or unset), IMAGE_FORMAT_UINT8, IMAGE_FORMAT_PNG_GRID"
        : versionProblem(request.getModelVersion());
    if (invalid != null) {
      metrics.recordSampling(api, Outcome.INVALID, System.nanoTime() - started, 0);
      return Future.failedFuture(RpcErrors.invalidArgument(invalid));
    }
    GeneratorSampleRequest forward = forward(request);
    return generators.call(g -> g.sample(forward), GeneratorSampleResponse::getModelVersion, request.getModelVersion())
        .compose(resp -> inFormat(resp, request.getFormat(), count))
        .recover(err -> Future.failedFuture(toStatus(err)))
        .andThen(ar -> {
          long elapsed = System.nanoTime() - started;
          if (ar.succeeded()) {
            metrics.recordSampling(api, Outcome.OK, elapsed, count);
          } else {
            metrics.recordSampling(api, outcomeOf(ar.cause()), elapsed, 0);
          }
        });
  }

  /** What generator-service needs of a public request: everything but the output format. */
  static GeneratorSampleRequest forward(SampleRequest request) {
    return GeneratorSampleRequest.newBuilder().setCount(request.getCount()).setSeed(request.getSeed())
        .addAllLabels(request.getLabelsList()).addAllLabelNames(request.getLabelNamesList())
        .setTruncation(request.getTruncation()).setModelVersion(request.getModelVersion()).build();
  }

  private static String versionProblem(String version) {
    try {
      ModelVersions.check(version, "model_version");
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  /** The generator answers float32; other formats are converted here, off the event loop (PNG encoding is CPU work). */
  private static Future<SampleResponse> inFormat(GeneratorSampleResponse resp, ImageFormat format, int count) {
    SampleResponse.Builder b = SampleResponse.newBuilder().setModelVersion(resp.getModelVersion())
        .addAllLabels(resp.getLabelsList());
    if (format == ImageFormat.IMAGE_FORMAT_UNSPECIFIED || format == ImageFormat.IMAGE_FORMAT_FLOAT32) {
      return Future.succeededFuture(b.setImages(resp.getImages()).build());
    }
    java.util.concurrent.Callable<SampleResponse> convert = () -> {
      INDArray images = TensorCodec.decode(resp.getImages(), "images", new long[] {count, 1, 28, 28}, count);
      if (format == ImageFormat.IMAGE_FORMAT_UINT8) {
        b.setImages(TensorCodec.encodeUint8(images));
      } else if (format == ImageFormat.IMAGE_FORMAT_PNG_GRID) {
        b.setPng(com.google.protobuf.ByteString.copyFrom(ImageGrid.png(images)));
      } else {
        throw new IllegalArgumentException("unknown image format " + format);
      }
      return b.build();
    };
    io.vertx.core.Context ctx = io.vertx.core.Vertx.currentContext();
    try {
      return ctx != null ? ctx.executeBlocking(convert, false) : Future.succeededFuture(convert.call());
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }

  /** The gRPC ListLabels: the classes the generator was trained on, as the trainer published them. */
  @Override
  public Future<ListLabelsResponse> listLabels(ListLabelsRequest request) {
    return generators.call(g -> g.getModelInfo(GetModelInfoRequest.getDefaultInstance()), ModelInfo::getVersion)
        .recover(err -> Future.failedFuture(toStatus(err)))
        .map(info -> ListLabelsResponse.newBuilder().setClasses(info.getClasses())
            .addAllNames(info.getLabelNamesList()).setModelVersion(info.getVersion()).build());
  }

  /** Whether a failure of {@link #sample} is the caller's (INVALID_ARGUMENT, FAILED_PRECONDITION), a full queue's or other. */
  public static Outcome outcomeOf(Throwable failure) {
    if (failure instanceof StatusException s
        && (s.status() == GrpcStatus.INVALID_ARGUMENT || s.status() == GrpcStatus.FAILED_PRECONDITION)) {
      return Outcome.INVALID; // a bad request, or a pinned version that is not served
    }
    return failure instanceof StatusException s && s.status() == GrpcStatus.RESOURCE_EXHAUSTED
        ? Outcome.REJECTED : Outcome.ERROR;
  }

  private StatusException toStatus(Throwable err) {
    StatusException status = RpcErrors.toStatus(err);
    if (err instanceof RpcException r && r.status() == GrpcStatus.RESOURCE_EXHAUSTED) {
      return new StatusException(GrpcStatus.RESOURCE_EXHAUSTED, r.detail()); // keep: the client should back off
    }
    if (err instanceof RpcException r && r.status() == GrpcStatus.FAILED_PRECONDITION) {
      return new StatusException(GrpcStatus.FAILED_PRECONDITION, r.detail()); // keep: the pinned version is not served
    }
    if (err instanceof RpcException && status.status() == GrpcStatus.UNAVAILABLE) {
      // the client sees the gateway, not the generators: say which peers let it down
      return new StatusException(GrpcStatus.UNAVAILABLE, "generator-service unavailable: " + status.message());
    }
    return status;
  }
}
