package io.gancluster.discriminator.objective;

import io.gancluster.core.nn.Network;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** wgan-clip: after every applied update each critic weight is clipped to [−c, c] (WGAN's Lipschitz bound). */
final class WeightClippingLoss implements CriticLoss {
  private final double clipValue;

  WeightClippingLoss(double clipValue) {
    this.clipValue = clipValue;
  }

  @Override
  public void afterUpdate(Network critic) {
    double c = clipValue;
    for (String p : critic.trainableParameters()) {
      INDArray a = critic.array(p);
      a.assign(Transforms.min(Transforms.max(a, -c, false), c, false));
    }
  }
}
