package io.gancluster.client.peer;

import io.gancluster.client.Retry;

import io.gancluster.core.model.graph.Labels;
import io.gancluster.runtime.rpc.Blocking;
import io.gancluster.runtime.tensor.TensorCodec;
import io.gancluster.client.DiscriminatorClient;
import io.gancluster.proto.v1.DiscriminatorStepRequest;
import io.gancluster.proto.v1.DiscriminatorStepResponse;
import io.gancluster.proto.v1.GeneratorGradientRequest;
import io.gancluster.proto.v1.GeneratorGradientResponse;
import java.time.Duration;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@link DiscriminatorPeer} over gRPC, with retries on UNAVAILABLE. */
public final class RemoteDiscriminatorPeer implements DiscriminatorPeer {
  private static final Duration TIMEOUT = Duration.ofMinutes(3);

  private final DiscriminatorClient client;
  private final Retry retry;
  private final String name;
  private final RemoteNetworkState state;

  public RemoteDiscriminatorPeer(DiscriminatorClient client, Retry retry) {
    this.client = client;
    this.retry = retry;
    this.name = "discriminator-service at " + client.address();
    this.state = new RemoteNetworkState(client, retry, "discriminator", name);
  }

  @Override
  public DStep trainStep(long stepId, INDArray real, int[] realLabels, INDArray fake, int[] fakeLabels) {
    DiscriminatorStepRequest req = DiscriminatorStepRequest.newBuilder().setStepId(stepId)
        .setReal(TensorCodec.encode(real)).setFake(TensorCodec.encode(fake))
        .addAllRealLabels(Labels.boxed(realLabels)).addAllFakeLabels(Labels.boxed(fakeLabels)).build();
    DiscriminatorStepResponse r = retry.call(name, "TrainStep", () -> Blocking.await(client.trainStep(req), TIMEOUT));
    return new DStep(r.getLoss(), r.getRealScore(), r.getFakeScore(), r.getWassersteinEstimate(),
        r.getGradientPenalty(), r.getCriticGradNorm(), r.getUpdates(), r.getSkipped());
  }

  @Override
  public GGradient generatorGradient(long stepId, INDArray fake, int[] fakeLabels, INDArray real) {
    GeneratorGradientRequest.Builder b = GeneratorGradientRequest.newBuilder().setStepId(stepId)
        .setFake(TensorCodec.encode(fake)).addAllFakeLabels(Labels.boxed(fakeLabels));
    if (real != null) {
      b.setReal(TensorCodec.encode(real));
    }
    GeneratorGradientRequest req = b.build();
    GeneratorGradientResponse r = retry.call(name, "GeneratorGradient",
        () -> Blocking.await(client.generatorGradient(req), TIMEOUT));
    return new GGradient(r.getLoss(),
        r.getSkipped() ? null : TensorCodec.decode(r.getGradImages(), "grad_images", fake.shape(), 0));
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
