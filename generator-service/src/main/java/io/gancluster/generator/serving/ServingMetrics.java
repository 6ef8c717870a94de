package io.gancluster.generator.serving;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A serving replica's meters, named once here (docs/metrics.md). {@code gan_serving_requests_total}
 * and {@code gan_serving_queue_images} are what the HorizontalPodAutoscaler scales on.
 */
public final class ServingMetrics {
  private final MeterRegistry registry;
  private final Counter rejected;
  private final Counter invalid;
  private final DistributionSummary batchImages;
  private final DistributionSummary batchRequests;
  private final Timer forward;
  private final AtomicLong modelStep = new AtomicLong(-1);

  public ServingMetrics(MeterRegistry registry, Supplier<Number> queuedImages) {
    this.registry = registry;
    rejected = requests("rejected");
    invalid = requests("invalid");
    batchImages = DistributionSummary.builder("gan.serving.batch.images")
        .description("Images per forward pass of the dynamic batcher").register(registry);
    batchRequests = DistributionSummary.builder("gan.serving.batch.requests")
        .description("Requests merged into one forward pass").register(registry);
    forward = Timer.builder("gan.serving.forward").description("Duration of one batched forward pass")
        .publishPercentiles(0.5, 0.99).register(registry);
    Gauge.builder("gan.serving.queue.images", queuedImages).description("Images waiting for a forward pass")
        .register(registry);
    Gauge.builder("gan.serving.model.step", modelStep, AtomicLong::get)
        .description("Training step of the checkpoint this replica serves (-1: none yet)").register(registry);
  }

  private Counter requests(String outcome) {
    return Counter.builder("gan.serving.requests").description("Sample requests answered by this replica, by outcome")
        .tag("outcome", outcome).register(registry);
  }

  void rejected() {
    rejected.increment();
  }

  void invalid() {
    invalid.increment();
  }

  /** A finished request: ok, error or unavailable (rejected and invalid are counted where they happen). */
  void answered(String outcome, long nanos) {
    requests(outcome).increment();
    Timer.builder("gan.serving.request").description("Sample requests from arrival to answer")
        .tag("outcome", outcome).publishPercentiles(0.5, 0.99).register(registry).record(Duration.ofNanos(nanos));
  }

  void batch(int requests, int images, long nanos) {
    batchRequests.record(requests);
    batchImages.record(images);
    forward.record(Duration.ofNanos(nanos));
  }

  void reload(String outcome) {
    Counter.builder("gan.serving.model.reloads").description("Model swaps tried, by outcome")
        .tag("outcome", outcome).register(registry).increment();
  }

  void serving(long step) {
    modelStep.set(step);
  }
}
