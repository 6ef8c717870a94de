package io.gancluster.gateway;

import io.gancluster.proto.v1.ProgressEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Every meter the gateway exports, named once here, on a Prometheus registry.
 *
 * <p>Training gauges start at NaN ("no data yet") rather than 0, which would read as a real loss.
 */
public final class GanMetrics {
  public static final String LOSS = "gan.loss";
  public static final String DISCRIMINATOR_SCORE = "gan.discriminator.score";
  public static final String WASSERSTEIN_ESTIMATE = "gan.wasserstein.estimate";
  public static final String GRADIENT_PENALTY = "gan.gradient.penalty";
  public static final String CRITIC_GRAD_NORM = "gan.critic.grad.norm";
  public static final String TRAINING_STEPS = "gan.training.steps";
  public static final String TRAINING_STEP = "gan.training.step";
  public static final String TRAINING_IMAGES_PER_SECOND = "gan.training.images.per.second";
  public static final String TRAINING_ETA_SECONDS = "gan.training.eta.seconds";
  public static final String TRAINING_STATE = "gan.training.state";
  public static final String SAMPLING_REQUEST = "gan.sampling.request";
  public static final String EVAL_FRECHET_DISTANCE = "gan.eval.frechet.distance";
  public static final String EVAL_CLASSIFIER_SCORE = "gan.eval.classifier.score";
  public static final String EVAL_LABEL_ACCURACY = "gan.eval.label.accuracy";
  public static final String EVAL_PRECISION = "gan.eval.precision";
  public static final String EVAL_RECALL = "gan.eval.recall";
  public static final String EVAL_COVERED_CLASSES = "gan.eval.covered.classes";
  public static final String EVAL_CLASS_KL = "gan.eval.class.kl";
  public static final String SAMPLING_IMAGES = "gan.sampling.images";

  /** Which public API served a sampling request (tag {@code api}). */
  public enum Api {
    GRPC, HTTP;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How a sampling request ended (tag {@code outcome}): invalid is the caller's fault, error is ours or a peer's. */
  public enum Outcome {
    OK, INVALID, REJECTED, ERROR;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final PrometheusMeterRegistry registry;
  private final DoubleValue dLoss = new DoubleValue();
  private final DoubleValue gLoss = new DoubleValue();
  private final DoubleValue realScore = new DoubleValue();
  private final DoubleValue fakeScore = new DoubleValue();
  private final DoubleValue wasserstein = new DoubleValue();
  private final DoubleValue penalty = new DoubleValue();
  private final DoubleValue criticGradNorm = new DoubleValue();
  private final DoubleValue imagesPerSecond = new DoubleValue();
  private final DoubleValue etaSeconds = new DoubleValue();
  private final DoubleValue state = new DoubleValue();
  private final DoubleValue frechet = new DoubleValue();
  private final DoubleValue frechetFloor = new DoubleValue();
  private final DoubleValue classifierScore = new DoubleValue();
  private final DoubleValue labelAccuracy = new DoubleValue();
  private final DoubleValue precision = new DoubleValue();
  private final DoubleValue recall = new DoubleValue();
  private final DoubleValue coveredClasses = new DoubleValue();
  private final DoubleValue classKl = new DoubleValue();
  private final Counter steps;
  private final Timer stepTime;
  private final Counter sampledImages;
  /** Last step seen, so a re-subscribed feed (which repeats the current step) adds only new steps. */
  private long lastStep;

  /** On a registry of its own. */
  public GanMetrics() {
    this(null);
  }

  /**
   * On {@code shared}, e.g. the one Vert.x reports its own meters to
   * ({@code ServiceMetrics.vertxRegistry}), so the gateway's /metrics has both; null: a registry of its own.
   * The registry must not already hold another GanMetrics' meters: those would keep their old values.
   */
  public GanMetrics(PrometheusMeterRegistry shared) {
    registry = shared != null ? shared : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // one description per name: Prometheus has one HELP line per metric family
    String lossHelp = "Loss of the last training step: L_D for the discriminator, L_G for the generator";
    String scoreHelp = "Mean discriminator output on the last real (D(x)) or fake (D(G(z))) batch: a probability "
        + "under the bce loss, the raw score under the others";
    gauge(LOSS, dLoss, "network", "discriminator", lossHelp);
    gauge(LOSS, gLoss, "network", "generator", lossHelp);
    gauge(DISCRIMINATOR_SCORE, realScore, "batch", "real", scoreHelp);
    gauge(DISCRIMINATOR_SCORE, fakeScore, "batch", "fake", scoreHelp);
    gauge(WASSERSTEIN_ESTIMATE, wasserstein, null, null,
        "Critic's estimate of the Wasserstein distance on the last step: mean D(real) - mean D(fake), raw scores");
    gauge(GRADIENT_PENALTY, penalty, null, null,
        "Penalty on the last step: WGAN-GP's lambda * mean (|grad D(x^)| - 1)^2, plus R1's gamma/2 * mean "
            + "|grad D(x)|^2 on the real images when on; NaN with neither");
    gauge(CRITIC_GRAD_NORM, criticGradNorm, null, null,
        "Mean norm of the critic's input gradient at the WGAN-GP interpolates (the penalty pulls it to 1), "
            + "else on the real images under R1; NaN with neither");
    gauge(TRAINING_IMAGES_PER_SECOND, imagesPerSecond, null, null, "Training throughput in real images per second");
    gauge(TRAINING_ETA_SECONDS, etaSeconds, null, null, "Estimated seconds until the run reaches max_steps");
    gauge(TRAINING_STATE, state, null, null,
        "Trainer state: 0 idle, 1 running, 2 stopping, 3 finished, 4 failed (gan.v1.TrainingState)");
    String fdHelp = "Frechet distance of generated samples from the real test split, in the evaluator classifier's "
        + "features (samples); the same for as many real training images (real: the floor)";
    gauge(EVAL_FRECHET_DISTANCE, frechet, "images", "samples", fdHelp);
    gauge(EVAL_FRECHET_DISTANCE, frechetFloor, "images", "real", fdHelp);
    gauge(EVAL_CLASSIFIER_SCORE, classifierScore, null, null,
        "Inception-score style exp(E KL(p(y|x) || p(y))) of the last evaluation, with the evaluator classifier");
    gauge(EVAL_LABEL_ACCURACY, labelAccuracy, null, null,
        "Share of conditional samples the evaluator assigns to the label they were generated for");
    gauge(EVAL_PRECISION, precision, null, null, "Share of samples inside the real data's k-NN manifold");
    gauge(EVAL_RECALL, recall, null, null, "Share of real test images inside the samples' k-NN manifold");
    gauge(EVAL_COVERED_CLASSES, coveredClasses, null, null,
        "Classes that get at least 10% of their fair share of samples, by the evaluator's predictions");
    gauge(EVAL_CLASS_KL, classKl, null, null, "KL divergence of the predicted class histogram from uniform, nats");
    steps = Counter.builder(TRAINING_STEPS).description("Training steps completed, as seen by the gateway")
        .register(registry);
    stepTime = Timer.builder(TRAINING_STEP).description("Wall time of one adversarial training step")
        .register(registry);
    sampledImages = Counter.builder(SAMPLING_IMAGES).description("Images returned by the public sampling APIs")
        .register(registry);
  }

  /** Folds one trainer progress event into the training meters. */
  public synchronized void record(ProgressEvent event) {
    state.set(event.getStateValue());
    long step = event.getStep();
    if (step > lastStep) {
      steps.increment(step - lastStep);
    }
    // a step that goes backwards is a new run (or a restored checkpoint): count from there on
    lastStep = step;
    if (event.hasEvaluation()) {
      var e = event.getEvaluation();
      frechet.set(e.getFrechetDistance());
      frechetFloor.set(e.getFrechetDistanceFloor());
      classifierScore.set(e.getClassifierScore());
      labelAccuracy.set(e.getLabelAccuracy());
      precision.set(e.getPrecision());
      recall.set(e.getRecall());
      coveredClasses.set(e.getCoveredClasses());
      classKl.set(e.getClassKl());
      return;
    }
    if (!hasStepMeasurements(event)) {
      return; // a state-change event: its zero losses are not measurements
    }
    dLoss.set(event.getDLoss());
    gLoss.set(event.getGLoss());
    realScore.set(event.getRealScore());
    fakeScore.set(event.getFakeScore());
    wasserstein.set(event.getWassersteinEstimate());
    penalty.set(event.getGradientPenalty());
    criticGradNorm.set(event.getCriticGradNorm());
    imagesPerSecond.set(event.getImagesPerSecond());
    etaSeconds.set(event.getEtaSeconds());
    if (event.getStepSeconds() > 0) {
      stepTime.record(Duration.ofNanos(Math.round(event.getStepSeconds() * 1e9)));
    }
  }

  /** Records one sampling request: how long it took, how it ended, and how many images it returned. */
  public void recordSampling(Api api, Outcome outcome, long durationNanos, int images) {
    Timer.builder(SAMPLING_REQUEST)
        .description("Public sampling requests, end to end through the generator")
        .tag("api", api.tag())
        .tag("outcome", outcome.tag())
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(2))
        .register(registry)
        .record(durationNanos, TimeUnit.NANOSECONDS);
    if (outcome == Outcome.OK && images > 0) {
      sampledImages.increment(images);
    }
  }

  /** The Prometheus text exposition (format 0.0.4) of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  /** The registry, for callers that add meters of their own (e.g. JVM binders). */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  private static boolean hasStepMeasurements(ProgressEvent e) {
    // trainer state events carry only step/state/max_steps; a real step always has a duration or losses
    return e.getStepSeconds() > 0 || e.getDLoss() != 0 || e.getGLoss() != 0;
  }

  private void gauge(String name, DoubleValue value, String tagKey, String tagValue, String description) {
    Gauge.Builder<DoubleValue> b = Gauge.builder(name, value, DoubleValue::get).description(description);
    if (tagKey != null) {
      b.tag(tagKey, tagValue);
    }
    b.register(registry);
  }

  /** A gauge's value; the registry holds gauge targets weakly, this class holds them strongly. */
  private static final class DoubleValue {
    private volatile double value = Double.NaN;

    double get() {
      return value;
    }

    void set(double v) {
      value = v;
    }
  }
}
