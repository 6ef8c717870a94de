package io.gancluster.client.peer;

import io.gancluster.client.Retry;

import io.gancluster.core.model.graph.Labels;
import io.gancluster.runtime.tensor.TensorCodec;
import io.gancluster.client.GeneratorClient;
import io.gancluster.proto.v1.ApplyGradientRequest;
import io.gancluster.proto.v1.GenerateRequest;
import io.gancluster.proto.v1.ModelInfo;
import io.gancluster.proto.v1.GeneratorSampleRequest;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@link GeneratorPeer} over gRPC, with retries on UNAVAILABLE. */
public final class RemoteGeneratorPeer extends RemotePeer<GeneratorClient> implements GeneratorPeer {
  private static final long[] ANY_IMAGES = {-1, 1, 28, 28};
  private static final int MAX = Integer.MAX_VALUE;

  public RemoteGeneratorPeer(GeneratorClient client, Retry retry) {
    super(client, client.address(), retry, "generator");
  }

  @Override
  public INDArray generate(long stepId, INDArray z, int[] labels, boolean keepForBackward) {
    GenerateRequest req = GenerateRequest.newBuilder().setStepId(stepId).setZ(TensorCodec.encode(z))
        .setKeepForBackward(keepForBackward).addAllLabels(Labels.boxed(labels)).build();
    return TensorCodec.decode(call("Generate", () -> client.generate(req)).getImages(), "images", ANY_IMAGES, MAX);
  }

  @Override
  public long applyGradient(long stepId, INDArray gradImages) {
    ApplyGradientRequest.Builder b = ApplyGradientRequest.newBuilder().setStepId(stepId);
    ApplyGradientRequest req = (gradImages == null ? b.setSkip(true) : b.setGradImages(TensorCodec.encode(gradImages)))
        .build();
    return call("ApplyGradient", () -> client.applyGradient(req)).getUpdates();
  }

  @Override
  public INDArray sample(int count, long seed, int[] labels) {
    GeneratorSampleRequest req = GeneratorSampleRequest.newBuilder().setCount(count).setSeed(seed).addAllLabels(Labels.boxed(labels))
        .build();
    return TensorCodec.decode(call("Sample", () -> client.sample(req)).getImages(), "images", ANY_IMAGES, MAX);
  }

  @Override
  public void publishModel(String version, java.util.List<String> labelNames) {
    ModelInfo info = ModelInfo.newBuilder().setVersion(version).addAllLabelNames(labelNames).build();
    call("PublishModel", () -> client.publishModel(info));
  }
}
