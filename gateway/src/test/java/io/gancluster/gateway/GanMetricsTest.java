package io.gancluster.gateway;

import static io.gancluster.gateway.TestSupport.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gancluster.gateway.GanMetrics.Api;
import io.gancluster.gateway.GanMetrics.Outcome;
import io.gancluster.proto.v1.Evaluation;
import io.gancluster.proto.v1.ProgressEvent;
import io.gancluster.proto.v1.TrainingState;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GanMetricsTest {
  private static ProgressEvent step(long step, double dLoss, double gLoss) {
    return ProgressEvent.newBuilder().setStep(step).setEpoch(1).setDLoss(dLoss).setGLoss(gLoss)
        .setRealScore(0.8).setFakeScore(0.3).setStepSeconds(0.05).setImagesPerSecond(1280)
        .setEtaSeconds(42).setState(TrainingState.TRAINING_STATE_RUNNING).setMaxSteps(100)
        .setWassersteinEstimate(2.5).setGradientPenalty(0.125).setCriticGradNorm(0.97).build();
  }

  @Test
  void trainingProgressBecomesPrometheusSeries() {
    GanMetrics metrics = new GanMetrics();
    metrics.record(step(1, 1.25, 0.5));
    metrics.record(step(2, 0.75, 1.5));

    String scrape = metrics.scrape();
    assertThat(sample(scrape, "gan_loss{network=\"discriminator\"}")).isEqualTo(0.75);
    assertThat(sample(scrape, "gan_loss{network=\"generator\"}")).isEqualTo(1.5);
    assertThat(sample(scrape, "gan_discriminator_score{batch=\"real\"}")).isEqualTo(0.8);
    assertThat(sample(scrape, "gan_discriminator_score{batch=\"fake\"}")).isEqualTo(0.3);
    assertThat(sample(scrape, "gan_training_steps_total")).isEqualTo(2);
    assertThat(sample(scrape, "gan_training_step_seconds_count")).isEqualTo(2);
    assertThat(sample(scrape, "gan_training_step_seconds_sum")).isCloseTo(0.1, within(1e-9));
    assertThat(sample(scrape, "gan_wasserstein_estimate")).isEqualTo(2.5);
    assertThat(sample(scrape, "gan_gradient_penalty")).isEqualTo(0.125);
    assertThat(sample(scrape, "gan_critic_grad_norm")).isEqualTo(0.97);
    assertThat(sample(scrape, "gan_training_images_per_second")).isEqualTo(1280);
    assertThat(sample(scrape, "gan_training_eta_seconds")).isEqualTo(42);
    assertThat(sample(scrape, "gan_training_state")).isEqualTo(TrainingState.TRAINING_STATE_RUNNING_VALUE);
  }

  @Test
  void stepsCountDeltasSoARepeatedOrRestartedFeedDoesNotDoubleCount() {
    GanMetrics metrics = new GanMetrics();
    metrics.record(step(10, 1, 1));
    metrics.record(step(20, 1, 1));
    // a re-subscribed feed repeats the current step in a state event (no losses, no duration)
    metrics.record(ProgressEvent.newBuilder().setStep(20).setState(TrainingState.TRAINING_STATE_FINISHED).build());
    assertThat(sample(metrics.scrape(), "gan_training_steps_total")).isEqualTo(20);
    assertThat(sample(metrics.scrape(), "gan_loss{network=\"generator\"}")).as("state events keep the last loss")
        .isEqualTo(1);
    assertThat(sample(metrics.scrape(), "gan_training_state")).isEqualTo(TrainingState.TRAINING_STATE_FINISHED_VALUE);

    metrics.record(step(3, 1, 1)); // a new run: counted from its step on
    metrics.record(step(5, 1, 1));
    assertThat(sample(metrics.scrape(), "gan_training_steps_total")).isEqualTo(22);
  }

  @Test
  void anEvaluationEventSetsTheEvaluationGaugesAndLeavesTheLossesAlone() {
    GanMetrics metrics = new GanMetrics();
    metrics.record(step(140, 1.25, 0.5));
    assertThat(sample(metrics.scrape(), "gan_eval_frechet_distance{images=\"samples\"}")).isNaN();
    metrics.record(ProgressEvent.newBuilder().setStep(140).setState(TrainingState.TRAINING_STATE_RUNNING)
        .setEvaluation(Evaluation.newBuilder().setStep(140).setSamples(1000).setFrechetDistance(120.5)
            .setFrechetDistanceFloor(33.5).setClassifierScore(7.25).setLabelAccuracy(0.875).setCoveredClasses(9)
            .setClassKl(0.0625).setPrecision(0.75).setRecall(0.5).setEvaluatorAccuracy(0.96)).build());

    String scrape = metrics.scrape();
    assertThat(sample(scrape, "gan_eval_frechet_distance{images=\"samples\"}")).isEqualTo(120.5);
    assertThat(sample(scrape, "gan_eval_frechet_distance{images=\"real\"}")).isEqualTo(33.5);
    assertThat(sample(scrape, "gan_eval_classifier_score")).isEqualTo(7.25);
    assertThat(sample(scrape, "gan_eval_label_accuracy")).isEqualTo(0.875);
    assertThat(sample(scrape, "gan_eval_covered_classes")).isEqualTo(9);
    assertThat(sample(scrape, "gan_eval_class_kl")).isEqualTo(0.0625);
    assertThat(sample(scrape, "gan_eval_precision")).isEqualTo(0.75);
    assertThat(sample(scrape, "gan_eval_recall")).isEqualTo(0.5);
    assertThat(sample(scrape, "gan_loss{network=\"generator\"}")).isEqualTo(0.5);
    assertThat(sample(scrape, "gan_training_steps_total")).isEqualTo(140);
  }

  @Test
  void trainingGaugesAreNaNBeforeAnyProgressAndSamplingCounterIsExported() {
    String scrape = new GanMetrics().scrape();
    assertThat(sample(scrape, "gan_loss{network=\"discriminator\"}")).isNaN();
    assertThat(scrape).contains("gan_sampling_images_total 0.0");
  }

  @Test
  void samplingRequestsHaveAHistogramPerApiAndOutcome() {
    GanMetrics metrics = new GanMetrics();
    metrics.recordSampling(Api.HTTP, Outcome.OK, TimeUnit.MILLISECONDS.toNanos(30), 16);
    metrics.recordSampling(Api.GRPC, Outcome.INVALID, TimeUnit.MICROSECONDS.toNanos(20), 0);

    String scrape = metrics.scrape();
    assertThat(sample(scrape, "gan_sampling_images_total")).isEqualTo(16);
    assertThat(sample(scrape, "gan_sampling_request_seconds_count{api=\"http\",outcome=\"ok\"}")).isEqualTo(1);
    assertThat(sample(scrape, "gan_sampling_request_seconds_count{api=\"grpc\",outcome=\"invalid\"}")).isEqualTo(1);
    assertThat(scrape).contains("gan_sampling_request_seconds_bucket{api=\"http\",outcome=\"ok\",le=\"+Inf\"} 1");
  }
}
