package io.gancluster.discriminator.objective;

import io.gancluster.core.model.recipe.Conditioning;
import io.gancluster.core.model.recipe.Objective;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How D uses class labels ({@link Conditioning.DiscriminatorLabels}): which rows its critic step judges,
 * and which label inputs each of its graphs is fed. Labels arrive checked against the class count.
 */
public interface LabelScheme {
  /** Feeds the critic step's images, targets and weights, and its label inputs. */
  void feedCriticStep(CriticBatch batch, double realTarget, Map<String, INDArray> feed);

  /** Feeds the generator-gradient graph's label inputs for fakes made for these labels. */
  default void feedGeneratorGradient(int[] fakeLabels, DataType dt, Map<String, INDArray> feed) {}

  /** Feeds a scoring pass's label inputs; {@code labels} are unchecked (only a D that sees them checks them). */
  default void feedScores(int[] labels, int rows, DataType dt, Map<String, INDArray> feed) {}

  /** The scheme of this model; matching-aware needs a label channel, which D's graph builder has checked. */
  static LabelScheme of(Conditioning conditioning, Objective objective, long seed) {
    int classes = conditioning.classes();
    return switch (conditioning.discriminator()) {
      case NONE -> new NoLabels();
      case INPUT_CHANNEL, PROJECTION -> objective.matchingAware()
          ? new MatchingAwareLabelChannel(classes, seed) : new LabelChannel(classes);
      case AUXILIARY -> new AuxiliaryClassifier(classes, objective.classWeight());
      case PROJECTION_AUXILIARY -> new ProjectionWithClassifier(classes, objective.classWeight());
    };
  }
}
