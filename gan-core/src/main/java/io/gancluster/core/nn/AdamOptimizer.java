package io.gancluster.core.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

/**
 * ND4J's Adam applied to a {@link Network}'s trainable parameters, one updater per parameter,
 * with its moment estimates kept in arrays we can checkpoint.
 */
public final class AdamOptimizer {
  private final Network network;
  private final Map<String, INDArray> stateViews = new LinkedHashMap<>();
  private final Map<String, GradientUpdater<?>> updaters = new LinkedHashMap<>();
  private long updates;
  private long skipped;

  public AdamOptimizer(Network network, double learningRate, double beta1, double beta2) {
    this.network = network;
    Adam config = new Adam(learningRate, beta1, beta2, Adam.DEFAULT_ADAM_EPSILON);
    for (String p : network.trainableParameters()) {
      INDArray param = network.array(p);
      INDArray view = Nd4j.zeros(network.dataType(), 1, config.stateSize(param.length()));
      stateViews.put(p, view);
      updaters.put(p, config.instantiate(view, true));
    }
  }

  public long updates() {
    return updates;
  }

  /**
   * Applies one update unless a gradient holds NaN or Inf, in which case nothing changes but the update
   * count (so peers stay in step with the coordinator's count). A non-finite update never reaches the
   * parameters, so they never need to be repaired.
   *
   * @return whether the update was applied
   */
  public boolean stepIfFinite(Map<String, INDArray> gradients) {
    for (INDArray g : gradients.values()) {
      if (!finite(g)) {
        skip();
        return false;
      }
    }
    step(gradients);
    return true;
  }

  /** Counts an update without changing anything (a skipped step). */
  public void skip() {
    updates++;
    skipped++;
  }

  /** Updates skipped because of NaN/Inf so far (not saved in checkpoints). */
  public long skipped() {
    return skipped;
  }

  /**
   * No NaN and no Inf in {@code a}: one reduction, since NaN and Inf both make the sum non-finite (a sum
   * that overflows only from huge finite values counts as non-finite too, which is divergence anyway).
   */
  public static boolean finite(INDArray a) {
    return a.isEmpty() || Double.isFinite(a.sumNumber().doubleValue());
  }

  /** Applies one update from gradients of a loss to minimise; gradient arrays are overwritten. */
  public void step(Map<String, INDArray> gradients) {
    for (Map.Entry<String, GradientUpdater<?>> e : updaters.entrySet()) {
      INDArray g = gradients.get(e.getKey());
      if (g == null) {
        throw new IllegalStateException("no gradient for parameter " + e.getKey());
      }
      INDArray param = network.array(e.getKey());
      INDArray update = g.reshape(param.shape()).dup();
      e.getValue().applyUpdater(update, (int) updates, 0);
      param.subi(update);
    }
    updates++;
  }

  /** The moment estimates, one flat array per parameter (live views). */
  public Map<String, INDArray> state() {
    return stateViews;
  }

  /** Restores moment estimates and the update count (which drives Adam's bias correction). */
  public void restore(Map<String, INDArray> state, long updateCount) {
    for (Map.Entry<String, INDArray> e : stateViews.entrySet()) {
      INDArray saved = state.get(e.getKey());
      if (saved == null || saved.length() != e.getValue().length()) {
        throw new IllegalArgumentException("optimizer state for " + e.getKey() + " is missing or has the wrong size");
      }
      e.getValue().assign(saved.reshape(e.getValue().shape()));
    }
    this.updates = updateCount;
  }
}
