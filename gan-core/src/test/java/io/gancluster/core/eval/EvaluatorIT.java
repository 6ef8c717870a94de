package io.gancluster.core.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.gancluster.core.data.DataSources;
import io.gancluster.core.data.ImageSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The evaluator trained on the bundled MNIST digits: real test images score near the ideal, noise and
 * a collapsed "generator" far from it, and the cache is used and never trusted blindly.
 */
class EvaluatorIT {
  @TempDir
  static Path cache;
  static ImageSet train;
  static ImageSet test;
  static Evaluator evaluator;
  static List<String> log = new ArrayList<>();

  @BeforeAll
  static void trainOnce() {
    train = DataSources.load("mnist");
    test = DataSources.load("mnist-test");
    evaluator = EvaluatorCache.load(train, test, "mnist", cache, log::add);
  }

  @Test
  void theEvaluatorClassifiesRealTestDigitsWell() {
    assertThat(evaluator.testAccuracy()).isGreaterThan(0.95);
    assertThat(log).anyMatch(l -> l.startsWith("training the evaluator"));
  }

  @Test
  void realTestImagesScoreNearTheIdeal() {
    INDArray images = EvaluatorClassifier.images(test);
    int[] labels = new int[test.count()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = test.label(i);
    }
    EvaluationReport r = evaluator.evaluate(images, labels);

    // the test split against itself: FD 0 up to rounding, far under the train-vs-test floor
    assertThat(r.frechetDistance()).isLessThan(1e-6);
    assertThat(r.frechetFloor()).isPositive();
    assertThat(r.labelAccuracy()).isEqualTo(evaluator.testAccuracy());
    assertThat(r.classifierScore()).isGreaterThan(8.5);
    assertThat(r.coveredClasses()).isEqualTo(10);
    assertThat(r.classKl()).isLessThan(0.02);
    assertThat(r.precision()).isEqualTo(1.0);
    assertThat(r.recall()).isEqualTo(1.0);
  }

  @Test
  void realTrainingImagesScoreAtTheFloorAndHighPrecisionRecall() {
    int n = 1000;
    INDArray images = Nd4j.create(train.batch(java.util.stream.IntStream.range(0, n).toArray()),
        new long[] {n, 1, 28, 28});
    EvaluationReport r = evaluator.evaluate(images, null);
    assertThat(r.frechetDistance()).isLessThan(2 * r.frechetFloor());
    assertThat(r.precision()).isGreaterThan(0.7);
    assertThat(r.recall()).isGreaterThan(0.7);
    assertThat(r.labelAccuracy()).isNaN();
  }

  @Test
  void noiseAndACollapsedGeneratorScoreFarFromIt() {
    INDArray noise = Nd4j.rand(DataType.FLOAT, 500, 1, 28, 28).muli(2).subi(1);
    EvaluationReport n = evaluator.evaluate(noise, null);
    assertThat(n.frechetDistance()).isGreaterThan(20 * n.frechetFloor());
    assertThat(n.precision()).isLessThan(0.05);

    // 500 copies of one real digit: low classifier score, one class, no recall
    INDArray one = EvaluatorClassifier.images(test).get(NDArrayIndex.interval(0, 1), NDArrayIndex.all(),
        NDArrayIndex.all(), NDArrayIndex.all());
    EvaluationReport c = evaluator.evaluate(Nd4j.repeat(one, 500).reshape(500, 1, 28, 28), null);
    assertThat(c.classifierScore()).isLessThan(1.05);
    assertThat(c.coveredClasses()).isEqualTo(1);
    assertThat(c.classKl()).isGreaterThan(2.0);
    assertThat(c.recall()).isLessThan(0.05);
  }

  @Test
  void theCachedEvaluatorIsReusedAndACorruptOneRetrained() throws Exception {
    List<String> again = new ArrayList<>();
    Evaluator cached = EvaluatorCache.load(train, test, "mnist", cache, again::add);
    assertThat(again).anyMatch(l -> l.startsWith("evaluator from cache"));
    assertThat(cached.testAccuracy()).isEqualTo(evaluator.testAccuracy());

    // a corrupt cache file (here for a small subset, so retraining is quick) is replaced, not trusted
    ImageSet small = new ImageSet("mnist-640", 28, 28, java.util.Arrays.copyOf(train.pixelBytes(), 640 * 784),
        java.util.Arrays.copyOf(train.labelBytes(), 640));
    List<String> first = new ArrayList<>();
    Evaluator good = EvaluatorCache.load(small, test, "mnist", cache, first::add);
    Path broken = EvaluatorCache.fileFor(small, cache);
    byte[] intact = Files.readAllBytes(broken);
    Files.write(broken, java.util.Arrays.copyOf(intact, 1000));
    List<String> retrained = new ArrayList<>();
    Evaluator fresh = EvaluatorCache.load(small, test, "mnist", cache, retrained::add);
    assertThat(retrained).anyMatch(l -> l.contains("is unusable"));
    assertThat(fresh.testAccuracy()).isEqualTo(good.testAccuracy()); // same seed, same judge
    // the retrained file replaced the broken one: the next load takes it from the cache
    List<String> third = new ArrayList<>();
    assertThat(EvaluatorCache.load(small, test, "mnist", cache, third::add).testAccuracy()).isEqualTo(good.testAccuracy());
    assertThat(third).anyMatch(l -> l.startsWith("evaluator from cache"));
    assertThat(Files.size(broken)).isGreaterThan(intact.length / 2);
  }
}
