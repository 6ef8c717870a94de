package io.gancluster.trainer.eval;

import io.gancluster.core.data.DataSources;
import io.gancluster.core.data.ImageSet;
import io.gancluster.core.eval.EvaluationReport;
import io.gancluster.core.eval.Evaluator;
import io.gancluster.core.eval.EvaluatorCache;
import io.gancluster.core.random.Seeds;
import io.gancluster.client.peer.GeneratorPeer;
import io.gancluster.trainer.run.EvaluationScore;
import io.gancluster.trainer.run.RunFolder;
import io.gancluster.trainer.run.TrainingRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the generator at epoch ends during training: samples through the generator peer (the
 * same gRPC Sample calls a client makes, in chunks the service accepts), scores them with the data
 * set's evaluator, appends a row to {@code eval.csv}, writes {@code eval/step-N.json}, and hands the
 * report on (progress events, so the gateway exports it to Prometheus). With {@link #keepingBest} it also
 * offers each evaluated step to the run as its best checkpoint ({@link EvaluationScore} says what wins).
 */
public final class RunEvaluation implements TrainingRun.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(RunEvaluation.class);
  public static final String CSV_HEADER = "step,epoch,samples,frechet_distance,frechet_floor,classifier_score,"
      + "label_accuracy,covered_classes,class_kl,precision,recall,evaluator_accuracy";
  /** At most what one generator-service Sample call may return (NetworkServiceOptions.DEFAULT_MAX_SAMPLES). */
  static final int CHUNK = 250;

  private final EvaluationSettings settings;
  private final ImageSet train;
  private final String dataSpec;
  private final GeneratorPeer generator;
  private final int classes;
  private final RunFolder folder;
  private final long seed;
  private final List<Consumer<Result>> consumers = new ArrayList<>();
  private final Scorer scorer;
  private Evaluator evaluator;
  private long lastEvaluatedStep = -1;

  /** A report and the step it measured. */
  public record Result(long step, int epoch, EvaluationReport report) {}

  /** Scores generated images (and the labels they were asked for; null if unconditional). */
  @FunctionalInterface
  public interface Scorer {
    EvaluationReport score(INDArray images, int[] labels);
  }

  /** Scores with the data set's evaluator classifier (trained on first use, then cached). */
  public RunEvaluation(EvaluationSettings settings, ImageSet train, String dataSpec, GeneratorPeer generator,
      int classes, RunFolder folder, long seed) {
    this(settings, train, dataSpec, generator, classes, folder, seed, null);
  }

  /** @param scorer what scores the samples; null: the data set's evaluator classifier */
  public RunEvaluation(EvaluationSettings settings, ImageSet train, String dataSpec, GeneratorPeer generator,
      int classes, RunFolder folder, long seed, Scorer scorer) {
    this.scorer = scorer != null ? scorer : (images, labels) -> evaluator().evaluate(images, labels);
    this.settings = settings;
    this.train = train;
    this.dataSpec = dataSpec;
    this.generator = generator;
    this.classes = classes;
    this.folder = folder;
    this.seed = Seeds.derive(seed, "evaluation");
  }

  public RunEvaluation onResult(Consumer<Result> consumer) {
    consumers.add(consumer);
    return this;
  }

  /**
   * Offers every evaluated step to {@code run} as its best checkpoint ({@link TrainingRun#offerBest}); add this
   * evaluation to the same run as a listener, so the peers still hold the evaluated weights.
   */
  public RunEvaluation keepingBest(TrainingRun run) {
    return onResult(r -> {
      try {
        run.offerBest(r.step(), new EvaluationScore(r.report().frechetDistance(), r.report().labelAccuracy()));
      } catch (RuntimeException e) {
        LOG.warn("could not keep step {} as the best checkpoint, training goes on: {}", r.step(), e.getMessage());
      }
    });
  }

  public Path csv() {
    return folder.root().resolve("eval.csv");
  }

  @Override
  public void onStep(io.gancluster.trainer.schedule.StepReport report, long maxSteps, int batchSize) {}

  @Override
  public void onEpochEnd(int epoch, long step) {
    if (epoch % settings.everyEpochs() == 0) {
      evaluate(epoch, step);
    }
  }

  /** The final weights are measured too, so the last row matches the last checkpoint. */
  @Override
  public void onRunEnd(int epoch, long step) {
    if (step > 0 && step != lastEvaluatedStep) {
      evaluate(epoch, step);
    }
  }

  /** Scores the generator as it is now; a failure is logged and training goes on. */
  public Result evaluate(int epoch, long step) {
    try {
      long started = System.nanoTime();
      int[] labels = classes > 0 ? everyClassInTurn(settings.samples()) : null;
      EvaluationReport r = scorer.score(sample(labels), labels);
      Result result = new Result(step, epoch, r);
      lastEvaluatedStep = step;
      write(result);
      LOG.info(String.format(Locale.ROOT, "evaluation at step %d (epoch %d, %d samples, %.1f s): FD %.2f (real %.2f), "
              + "classifier score %.2f, label accuracy %s, %d/%d classes, precision %.3f, recall %.3f", step, epoch,
          r.count(), (System.nanoTime() - started) / 1e9, r.frechetDistance(), r.frechetFloor(), r.classifierScore(),
          Double.isNaN(r.labelAccuracy()) ? "-" : String.format(Locale.ROOT, "%.3f", r.labelAccuracy()),
          r.coveredClasses(), r.classes(), r.precision(), r.recall()));
      consumers.forEach(c -> c.accept(result));
      return result;
    } catch (RuntimeException e) {
      LOG.warn("evaluation at step {} failed, training goes on: {}", step, e.getMessage());
      return null;
    }
  }

  private Evaluator evaluator() {
    if (evaluator == null) {
      String test = settings.testData() != null ? settings.testData() : DataSources.testSplitOf(dataSpec);
      evaluator = EvaluatorCache.load(train, DataSources.load(test), dataSpec,
          settings.cacheDir() != null ? settings.cacheDir() : EvaluatorCache.defaultDirectory(), LOG::info);
    }
    return evaluator;
  }

  private INDArray sample(int[] labels) {
    int n = settings.samples();
    List<INDArray> parts = new ArrayList<>();
    for (int from = 0, chunk = 0; from < n; from += CHUNK, chunk++) {
      int size = Math.min(CHUNK, n - from);
      int[] part = labels == null ? null : java.util.Arrays.copyOfRange(labels, from, from + size);
      parts.add(generator.sample(size, seed + chunk, part));
    }
    return Nd4j.concat(0, parts.toArray(INDArray[]::new));
  }

  private int[] everyClassInTurn(int n) {
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % classes;
    }
    return labels;
  }

  private void write(Result result) {
    EvaluationReport r = result.report();
    try {
      Files.createDirectories(folder.root().resolve("eval"));
      Files.writeString(folder.root().resolve("eval").resolve(String.format("step-%06d.json", result.step())),
          new io.vertx.core.json.JsonObject(r.toMap()).put("step", result.step()).put("epoch", result.epoch()).encodePrettily() + "\n");
      if (!Files.exists(csv())) {
        Files.writeString(csv(), CSV_HEADER + "\n", StandardCharsets.UTF_8);
      }
      Files.writeString(csv(), String.format(Locale.ROOT, "%d,%d,%d,%.4f,%.4f,%.4f,%.4f,%d,%.5f,%.4f,%.4f,%.4f%n",
          result.step(), result.epoch(), r.count(), r.frechetDistance(), r.frechetFloor(), r.classifierScore(),
          r.labelAccuracy(), r.coveredClasses(), r.classKl(), r.precision(), r.recall(), r.evaluatorAccuracy()),
          StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the evaluation under " + folder.root(), e);
    }
  }
}
