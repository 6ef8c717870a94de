package io.gancluster.client.peer;

import io.gancluster.client.Retry;

import io.gancluster.core.model.graph.Labels;
import io.gancluster.runtime.rpc.Blocking;
import io.gancluster.runtime.tensor.TensorCodec;
import io.gancluster.client.GeneratorClient;
import io.gancluster.proto.v1.ApplyGradientRequest;
import io.gancluster.proto.v1.GenerateRequest;
import io.gancluster.proto.v1.ModelInfo;
import io.gancluster.proto.v1.SampleRequest;
import java.time.Duration;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@link GeneratorPeer} over gRPC, with retries on UNAVAILABLE. */
public final class RemoteGeneratorPeer implements GeneratorPeer {
  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  private static final long[] ANY_IMAGES = {-1, 1, 28, 28};
  private static final int MAX = Integer.MAX_VALUE;

  private final GeneratorClient client;
  private final Retry retry;
  private final String name;
  private final RemoteNetworkState state;

  public RemoteGeneratorPeer(GeneratorClient client, Retry retry) {
    this.client = client;
    this.retry = retry;
    this.name = "generator-service at " + client.address();
    this.state = new RemoteNetworkState(client, retry, "generator", name);
  }

  @Override
  public INDArray generate(long stepId, INDArray z, int[] labels, boolean keepForBackward) {
    GenerateRequest req = GenerateRequest.newBuilder().setStepId(stepId).setZ(TensorCodec.encode(z))
        .setKeepForBackward(keepForBackward).addAllLabels(Labels.boxed(labels)).build();
    return TensorCodec.decode(
        retry.call(name, "Generate", () -> Blocking.await(client.generate(req), TIMEOUT)).getImages(),
        "images", ANY_IMAGES, MAX);
  }

  @Override
  public long applyGradient(long stepId, INDArray gradImages) {
    ApplyGradientRequest.Builder b = ApplyGradientRequest.newBuilder().setStepId(stepId);
    ApplyGradientRequest req = (gradImages == null ? b.setSkip(true) : b.setGradImages(TensorCodec.encode(gradImages)))
        .build();
    return retry.call(name, "ApplyGradient", () -> Blocking.await(client.applyGradient(req), TIMEOUT)).getUpdates();
  }

  @Override
  public INDArray sample(int count, long seed, int[] labels) {
    SampleRequest req = SampleRequest.newBuilder().setCount(count).setSeed(seed).addAllLabels(Labels.boxed(labels))
        .build();
    return TensorCodec.decode(retry.call(name, "Sample", () -> Blocking.await(client.sample(req), TIMEOUT)).getImages(),
        "images", ANY_IMAGES, MAX);
  }

  @Override
  public void publishModel(String version, java.util.List<String> labelNames) {
    ModelInfo info = ModelInfo.newBuilder().setVersion(version).addAllLabelNames(labelNames).build();
    retry.call(name, "PublishModel", () -> Blocking.await(client.publishModel(info), TIMEOUT));
  }

  @Override
  public byte[] exportState() {
    return state.export();
  }

  @Override
  public long importState(byte[] blob) {
    return state.importState(blob);
  }

  @Override
  public long updates() {
    return state.updates();
  }

  @Override
  public String recipe() {
    return state.recipe();
  }

  @Override
  public String describe() {
    return name;
  }

  @Override
  public String compute() {
    return state.compute();
  }
}
