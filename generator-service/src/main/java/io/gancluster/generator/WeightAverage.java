package io.gancluster.generator;

import io.gancluster.core.nn.Network;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An exponential moving average of a network's trainable weights, held in a second network of the same
 * architecture so that it can be sampled like the live one. GAN weights keep circling an equilibrium;
 * their average sits nearer it than any single step (Yazıcı et al., 2019), and it does not end a run on
 * an unlucky step.
 *
 * <p>After update t the decay used is min(decay, (1 + t) / (10 + t)): the first averages follow the
 * fast-moving early weights closely instead of remembering the random initialisation for 1 / (1 − decay)
 * steps. The averaged network's batch norm gets its own standing statistics (those of the live weights
 * would not fit it); its owner computes them.
 */
final class WeightAverage {
  private final Network live;
  private final Network averaged;
  private final double decay;

  WeightAverage(Network live, Network averaged, double decay) {
    this.live = live;
    this.averaged = averaged;
    this.decay = decay;
    copyLive();
  }

  Network averaged() {
    return averaged;
  }

  /** The decay applied after update {@code t} (1 for the first). */
  double decayAt(long t) {
    return Math.min(decay, (1.0 + t) / (10.0 + t));
  }

  /** average = d · average + (1 − d) · live, after the live weights' update number {@code t}. */
  void update(long t) {
    double d = decayAt(t);
    for (String p : live.trainableParameters()) {
      averaged.array(p).muli(d).addi(live.array(p).mul(1.0 - d));
    }
  }

  /** The averaged trainable weights, by name (what a checkpoint stores). */
  Map<String, INDArray> state() {
    Map<String, INDArray> out = new LinkedHashMap<>();
    for (String p : live.trainableParameters()) {
      out.put(p, averaged.array(p));
    }
    return out;
  }

  /** Sets the average from saved arrays; with none saved it restarts from the live weights. */
  void restore(Map<String, INDArray> saved) {
    if (saved.isEmpty()) {
      copyLive();
      return;
    }
    check(saved);
    for (String p : live.trainableParameters()) {
      averaged.array(p).assign(saved.get(p).castTo(averaged.array(p).dataType()));
    }
  }

  /** Throws naming the first averaged weight that is missing or misshapen (none saved is fine). */
  void check(Map<String, INDArray> saved) {
    if (saved.isEmpty()) {
      return;
    }
    for (String p : live.trainableParameters()) {
      INDArray a = saved.get(p);
      if (a == null || !Arrays.equals(a.shape(), averaged.array(p).shape())) {
        throw new IllegalArgumentException("network state: averaged weight " + p + " is missing or has shape "
            + (a == null ? "none" : Arrays.toString(a.shape())) + ", expected "
            + Arrays.toString(averaged.array(p).shape()));
      }
    }
  }

  private void copyLive() {
    for (String p : live.trainableParameters()) {
      averaged.array(p).assign(live.array(p));
    }
  }
}
