package io.gancluster.client.peer;

import io.gancluster.client.Retry;

import io.gancluster.core.model.graph.Labels;
import io.gancluster.runtime.tensor.TensorCodec;
import io.gancluster.client.DiscriminatorClient;
import io.gancluster.proto.v1.DiscriminatorStepRequest;
import io.gancluster.proto.v1.DiscriminatorStepResponse;
import io.gancluster.proto.v1.GeneratorGradientRequest;
import io.gancluster.proto.v1.GeneratorGradientResponse;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@link DiscriminatorPeer} over gRPC, with retries on UNAVAILABLE. */
public final class RemoteDiscriminatorPeer extends RemotePeer<DiscriminatorClient> implements DiscriminatorPeer {
  public RemoteDiscriminatorPeer(DiscriminatorClient client, Retry retry) {
    super(client, client.address(), retry, "discriminator");
  }

  @Override
  public DStep trainStep(long stepId, INDArray real, int[] realLabels, INDArray fake, int[] fakeLabels) {
    DiscriminatorStepRequest req = DiscriminatorStepRequest.newBuilder().setStepId(stepId)
        .setReal(TensorCodec.encode(real)).setFake(TensorCodec.encode(fake))
        .addAllRealLabels(Labels.boxed(realLabels)).addAllFakeLabels(Labels.boxed(fakeLabels)).build();
    DiscriminatorStepResponse r = call("TrainStep", () -> client.trainStep(req));
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
    GeneratorGradientResponse r = call("GeneratorGradient", () -> client.generatorGradient(req));
    return new GGradient(r.getLoss(),
        r.getSkipped() ? null : TensorCodec.decode(r.getGradImages(), "grad_images", fake.shape(), 0));
  }
}
