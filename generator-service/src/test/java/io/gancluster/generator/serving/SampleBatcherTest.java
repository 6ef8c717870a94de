package io.gancluster.generator.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gancluster.core.model.recipe.Presets;
import io.gancluster.runtime.tensor.TensorCodec;
import io.gancluster.generator.GeneratorTrainer;
import io.gancluster.proto.v1.GeneratorSampleRequest;
import io.gancluster.proto.v1.GeneratorSampleResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class SampleBatcherTest {
  private static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private SampleBatcher batcher;

  @AfterEach
  void close() {
    if (batcher != null) {
      batcher.close();
    }
  }

  private static ServedModel conditional(String version, long seed) {
    return new ServedModel(version, 1, new GeneratorTrainer(Presets.get("cgan-concat"), DataType.FLOAT, seed), DIGITS);
  }

  private SampleBatcher batcher(Supplier<ServedModel> model, SampleBatcher.Settings settings) {
    ServingMetrics metrics = new ServingMetrics(registry, () -> batcher == null ? 0 : batcher.queuedImages());
    batcher = new SampleBatcher(model, settings, metrics);
    return batcher;
  }

  private static GeneratorSampleRequest request(int count, long seed, Integer label) {
    GeneratorSampleRequest.Builder b = GeneratorSampleRequest.newBuilder().setCount(count).setSeed(seed);
    if (label != null) {
      b.addLabels(label);
    }
    return b.build();
  }

  @Test
  void mergesConcurrentRequestsAndEachAnswerEqualsItsUnbatchedImagesWithinFloatRounding() throws Exception {
    ServedModel model = conditional("v1", 5);
    // a long wait so that the requests below certainly share forward passes
    batcher(() -> model, new SampleBatcher.Settings(256, TimeUnit.MILLISECONDS.toNanos(200), 2048));
    List<GeneratorSampleRequest> requests = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      requests.add(request(1 + i % 5 * 4, 100 + i, i % 3 == 0 ? null : i % 10));
    }
    requests.add(request(16, 42, 3).toBuilder().setTruncation(0.7f).build());
    List<CompletableFuture<GeneratorSampleResponse>> answers = requests.stream().map(batcher::submit).toList();
    for (int i = 0; i < requests.size(); i++) {
      GeneratorSampleRequest r = requests.get(i);
      GeneratorSampleResponse resp = answers.get(i).get(60, TimeUnit.SECONDS);
      int[] labels = r.getLabelsCount() == 0 ? null : new int[] {r.getLabels(0)};
      INDArray alone = model.generator().sample(r.getCount(), r.getSeed(), labels, r.getTruncation());
      INDArray batched = TensorCodec.decode(resp.getImages(), "images", new long[] {r.getCount(), 1, 28, 28}, 256);
      // not bit for bit: on some CPUs ND4J's kernels take batch-size-dependent paths (last-bit differences,
      // docs/serving.md); a wrong slice or a mixed-up z or label would be off by far more than this
      assertThat(batched.data().asFloat()).as("request %d", i)
          .containsExactly(alone.data().asFloat(), org.assertj.core.api.Assertions.within(1e-5f));
      assertThat(resp.getModelVersion()).isEqualTo("v1");
      assertThat(resp.getLabelsCount()).isEqualTo(r.getCount());
    }
    var perBatch = registry.find("gan.serving.batch.requests").summary();
    assertThat(perBatch.max()).as("most requests merged into one forward pass").isGreaterThan(1);
    assertThat(perBatch.count()).as("forward passes").isLessThan(requests.size());
  }

  @Test
  void refusesAtOnceWithResourceExhaustedWhenTheQueueIsFull() throws Exception {
    ServedModel model = conditional("v1", 5);
    CountDownLatch release = new CountDownLatch(1);
    Supplier<ServedModel> slow = () -> {
      try {
        release.await(); // the forward pass in progress holds the batcher thread
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return model;
    };
    batcher(slow, new SampleBatcher.Settings(16, 0, 64));
    CompletableFuture<GeneratorSampleResponse> running = batcher.submit(request(16, 1, 1));
    awaitQueued(0);
    List<CompletableFuture<GeneratorSampleResponse>> queued = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      queued.add(batcher.submit(request(16, 2 + i, 2)));
    }
    long started = System.nanoTime();
    CompletableFuture<GeneratorSampleResponse> refused = batcher.submit(request(1, 9, 0));
    assertThat(refused).isCompletedExceptionally();
    assertThat(System.nanoTime() - started).as("refused without waiting").isLessThan(TimeUnit.MILLISECONDS.toNanos(50));
    StatusException status = statusOf(refused);
    assertThat(status.status()).isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
    assertThat(status.message()).contains("64 images already queued");
    release.countDown();
    running.get(60, TimeUnit.SECONDS);
    for (CompletableFuture<GeneratorSampleResponse> q : queued) {
      assertThat(q.get(60, TimeUnit.SECONDS).getImages().getShape(0)).isEqualTo(16);
    }
    assertThat(registry.find("gan.serving.requests").tag("outcome", "rejected").counter().count()).isEqualTo(1);
  }

  @Test
  void aBadLabelFailsOnlyItsOwnRequestInASharedBatch() throws Exception {
    ServedModel model = conditional("v1", 5);
    batcher(() -> model, new SampleBatcher.Settings(256, TimeUnit.MILLISECONDS.toNanos(100), 2048));
    CompletableFuture<GeneratorSampleResponse> good = batcher.submit(request(4, 1, 7));
    CompletableFuture<GeneratorSampleResponse> bad = batcher.submit(request(4, 1, 12));
    CompletableFuture<GeneratorSampleResponse> byName = batcher.submit(GeneratorSampleRequest.newBuilder().setCount(2).setSeed(3)
        .addLabelNames("cat").build());
    assertThat(good.get(60, TimeUnit.SECONDS).getLabelsList()).containsOnly(7);
    assertThatThrownBy(() -> bad.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasMessageContaining("12");
    assertThatThrownBy(() -> byName.get(60, TimeUnit.SECONDS)).hasMessageContaining("unknown label name 'cat'");
  }

  @Test
  void eachAnswerNamesTheVersionThatMadeItAcrossAModelSwap() throws Exception {
    AtomicReference<ServedModel> current = new AtomicReference<>(conditional("run/checkpoint-1", 5));
    batcher(current::get, SampleBatcher.Settings.defaults());
    GeneratorSampleResponse before = batcher.submit(request(8, 42, 3)).get(60, TimeUnit.SECONDS);
    ServedModel next = conditional("run/checkpoint-2", 6);
    current.set(next);
    GeneratorSampleResponse after = batcher.submit(request(8, 42, 3)).get(60, TimeUnit.SECONDS);
    assertThat(before.getModelVersion()).isEqualTo("run/checkpoint-1");
    assertThat(after.getModelVersion()).isEqualTo("run/checkpoint-2");
    INDArray expected = next.generator().sample(8, 42, new int[] {3}, 0);
    assertThat(TensorCodec.decode(after.getImages(), "images", new long[] {8, 1, 28, 28}, 8).data().asFloat())
        .containsExactly(expected.data().asFloat());
  }

  @Test
  void aPinnedVersionIsServedWhileHeldAndRefusedNamingTheHeldOneAfterASwap() throws Exception {
    AtomicReference<ServedModel> current = new AtomicReference<>(conditional("run/checkpoint-1", 5));
    batcher(current::get, SampleBatcher.Settings.defaults());
    GeneratorSampleRequest pinned = request(4, 42, 3).toBuilder().setModelVersion("run/checkpoint-1").build();
    GeneratorSampleResponse held = batcher.submit(pinned).get(60, TimeUnit.SECONDS);
    assertThat(held.getModelVersion()).isEqualTo("run/checkpoint-1");
    assertThat(held.getImages()).isEqualTo(batcher.submit(request(4, 42, 3)).get(60, TimeUnit.SECONDS).getImages());

    current.set(conditional("run/checkpoint-2", 6));
    StatusException refused = statusOf(batcher.submit(pinned));
    assertThat(refused.status()).isEqualTo(GrpcStatus.FAILED_PRECONDITION);
    assertThat(refused.message()).contains("'run/checkpoint-1'").contains("holds 'run/checkpoint-2'");
    assertThat(io.gancluster.runtime.rpc.ModelVersions.heldIn(refused.message())).isEqualTo("run/checkpoint-2");
    assertThat(batcher.submit(pinned.toBuilder().setModelVersion("run/checkpoint-2").build())
        .get(60, TimeUnit.SECONDS).getModelVersion()).isEqualTo("run/checkpoint-2");
  }

  @Test
  void withoutAModelAnswersUnavailableAndDrainingRefusesNewWork() throws Exception {
    AtomicReference<ServedModel> current = new AtomicReference<>();
    batcher(current::get, SampleBatcher.Settings.defaults());
    StatusException noModel = statusOf(batcher.submit(request(2, 1, null)));
    assertThat(noModel.status()).isEqualTo(GrpcStatus.UNAVAILABLE);
    assertThat(noModel.message()).contains("no model loaded yet");
    current.set(conditional("v1", 5));
    CompletableFuture<GeneratorSampleResponse> queued = batcher.submit(request(64, 1, 1));
    assertThat(batcher.drain(60_000)).isTrue();
    assertThat(queued).isCompleted();
    assertThat(queued.get().getModelVersion()).isEqualTo("v1");
    CompletableFuture<GeneratorSampleResponse> late = batcher.submit(request(1, 1, 1));
    assertThat(statusOf(late).message()).contains("shutting down");
  }

  private static StatusException statusOf(CompletableFuture<?> f) throws InterruptedException {
    try {
      f.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(StatusException.class);
      return (StatusException) e.getCause();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer", e);
    }
    throw new AssertionError("expected a failure");
  }

  private void awaitQueued(int images) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (batcher.queuedImages() != images && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    Thread.sleep(50); // the batcher thread has taken the first request and waits on the model
  }
}
