package io.gancluster.generator.serving;

import io.gancluster.runtime.tensor.TensorCodec;
import io.gancluster.generator.SampleLabels;
import io.gancluster.core.model.graph.Labels;
import io.gancluster.proto.v1.GeneratorSampleRequest;
import io.gancluster.proto.v1.GeneratorSampleResponse;
import io.gancluster.runtime.rpc.ModelVersions;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic batching: concurrent Sample requests are merged into one forward pass (up to
 * {@code maxBatchImages}, waiting at most {@code maxWait} after the oldest arrived), then split back.
 * Each request draws its own z from its own seed and image i depends only on z_i, so a batched answer
 * equals the unbatched one. The queue is bounded in images: past {@code maxQueueImages} a request is
 * refused at once with RESOURCE_EXHAUSTED, instead of waiting ever longer.
 *
 * <p>One thread owns the forward passes. It reads the current model once per batch, so a batch
 * never mixes two versions and every answer names the version that made it.
 */
public final class SampleBatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SampleBatcher.class);

  private final Supplier<ServedModel> model;
  private final Settings settings;
  private final ServingMetrics metrics;
  private final LinkedBlockingDeque<Pending> queue = new LinkedBlockingDeque<>();
  private final AtomicInteger queuedImages = new AtomicInteger();
  private final AtomicInteger busyImages = new AtomicInteger();
  private final Thread thread;
  private volatile boolean accepting = true;
  private volatile boolean running = true;

  public SampleBatcher(Supplier<ServedModel> model, Settings settings, ServingMetrics metrics) {
    this.model = model;
    this.settings = settings;
    this.metrics = metrics;
    this.thread = new Thread(this::loop, "generator-batcher");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Queues a request. The future fails with a {@link StatusException}: RESOURCE_EXHAUSTED when the
   * queue is full, UNAVAILABLE when draining or no model is loaded, INVALID_ARGUMENT for bad labels,
   * FAILED_PRECONDITION when the request pins a model version other than the one its batch runs.
   */
  public CompletableFuture<GeneratorSampleResponse> submit(GeneratorSampleRequest request) {
    int count = request.getCount();
    if (!accepting) {
      return failed(GrpcStatus.UNAVAILABLE, "this generator replica is shutting down; another one will answer");
    }
    while (true) {
      int queued = queuedImages.get();
      if (queued + count > settings.maxQueueImages()) {
        metrics.rejected();
        return failed(GrpcStatus.RESOURCE_EXHAUSTED, "generator replica is at capacity: " + queued
            + " images already queued (limit " + settings.maxQueueImages() + "); retry shortly");
      }
      if (queuedImages.compareAndSet(queued, queued + count)) {
        break;
      }
    }
    Pending p = new Pending(request, System.nanoTime(), new CompletableFuture<>());
    queue.add(p);
    return p.result();
  }

  /** Images waiting for a forward pass (not counting the batch running now). */
  public int queuedImages() {
    return queuedImages.get();
  }

  /** Whether nothing is queued or running. */
  public boolean idle() {
    return queuedImages.get() == 0 && busyImages.get() == 0;
  }

  /** Refuses new requests (UNAVAILABLE) and waits up to {@code timeoutMs} for the queued ones to finish. */
  public boolean drain(long timeoutMs) {
    accepting = false;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (!idle() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return idle();
  }

  @Override
  public void close() {
    accepting = false;
    running = false;
    thread.interrupt();
    Pending p;
    while ((p = queue.poll()) != null) {
      p.result().completeExceptionally(new StatusException(GrpcStatus.UNAVAILABLE, "generator replica stopped"));
    }
  }

  private void loop() {
    while (running) {
      try {
        List<Pending> batch = nextBatch();
        if (!batch.isEmpty()) {
          run(batch);
        }
      } catch (InterruptedException e) {
        if (!running) {
          return;
        }
      } catch (RuntimeException | Error e) {
        LOG.error("batch loop: {}", e.toString(), e); // the loop must survive anything one batch throws
      }
    }
  }

  /** The oldest request plus whatever fits behind it, waiting until the oldest has waited maxWait. */
  private List<Pending> nextBatch() throws InterruptedException {
    Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
    if (first == null) {
      return List.of();
    }
    List<Pending> batch = new ArrayList<>();
    batch.add(first);
    int images = first.count();
    long deadline = first.arrived() + settings.maxWaitNanos();
    while (images < settings.maxBatchImages()) {
      Pending next = queue.poll();
      if (next == null) {
        long wait = deadline - System.nanoTime();
        next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : null;
        if (next == null) {
          break;
        }
      }
      if (images + next.count() > settings.maxBatchImages()) {
        queue.addFirst(next); // it leads the next batch
        break;
      }
      batch.add(next);
      images += next.count();
    }
    busyImages.addAndGet(images);
    queuedImages.addAndGet(-images);
    return batch;
  }

  private void run(List<Pending> batch) {
    int images = batch.stream().mapToInt(Pending::count).sum();
    try {
      ServedModel m = model.get(); // one version for the whole batch
      if (m == null) {
        batch.forEach(p -> p.fail(new StatusException(GrpcStatus.UNAVAILABLE,
            "no model loaded yet: this replica is waiting for the trainer's first checkpoint")));
        return;
      }
      forward(m, batch);
    } finally {
      busyImages.addAndGet(-images);
    }
  }

  private void forward(ServedModel m, List<Pending> batch) {
    int zDim = m.generator().zDim();
    List<Pending> valid = new ArrayList<>();
    List<float[]> zs = new ArrayList<>();
    List<int[]> labels = new ArrayList<>();
    for (Pending p : batch) {
      try {
        GeneratorSampleRequest r = p.request();
        if (!r.getModelVersion().isEmpty() && !r.getModelVersion().equals(m.version())) {
          throw ModelVersions.notHeld(r.getModelVersion(), m.version()); // a newer model was swapped in meanwhile
        }
        labels.add(m.generator().sampleLabels(r.getCount(), SampleLabels.resolve(r, m.classes(), m.labelNames())));
        zs.add(m.generator().latent(r.getCount(), r.getSeed(), r.getTruncation()));
        valid.add(p);
      } catch (RuntimeException e) {
        metrics.invalid();
        p.fail(e);
      }
    }
    if (valid.isEmpty()) {
      return;
    }
    int rows = valid.stream().mapToInt(Pending::count).sum();
    float[] z = new float[rows * zDim];
    int[] allLabels = m.classes() > 0 ? new int[rows] : null;
    int row = 0;
    for (int i = 0; i < valid.size(); i++) {
      System.arraycopy(zs.get(i), 0, z, row * zDim, zs.get(i).length);
      if (allLabels != null) {
        System.arraycopy(labels.get(i), 0, allLabels, row, valid.get(i).count());
      }
      row += valid.get(i).count();
    }
    long started = System.nanoTime();
    INDArray images;
    try {
      images = m.generator().sampleFrom(Nd4j.create(z, new long[] {rows, zDim}, 'c'), allLabels);
    } catch (RuntimeException e) {
      LOG.error("forward pass of {} images failed: {}", rows, e.toString());
      valid.forEach(p -> p.fail(e));
      return;
    }
    metrics.batch(valid.size(), rows, System.nanoTime() - started);
    row = 0;
    for (int i = 0; i < valid.size(); i++) {
      Pending p = valid.get(i);
      INDArray mine = images.get(NDArrayIndex.interval(row, row + p.count()), NDArrayIndex.all(), NDArrayIndex.all(),
          NDArrayIndex.all()).dup('c');
      GeneratorSampleResponse.Builder resp = GeneratorSampleResponse.newBuilder().setImages(TensorCodec.encode(mine))
          .setModelVersion(m.version());
      if (labels.get(i) != null) {
        resp.addAllLabels(Labels.boxed(labels.get(i)));
      }
      row += p.count();
      p.result().complete(resp.build());
    }
  }

  private static <T> CompletableFuture<T> failed(GrpcStatus status, String message) {
    return CompletableFuture.failedFuture(new StatusException(status, message));
  }

  private record Pending(GeneratorSampleRequest request, long arrived, CompletableFuture<GeneratorSampleResponse> result) {
    int count() {
      return request.getCount();
    }

    void fail(Throwable t) {
      result.completeExceptionally(t);
    }
  }

  /**
   * @param maxBatchImages most images in one forward pass (1: every request runs alone, i.e. no batching)
   * @param maxWaitNanos longest the oldest request waits for company before its batch runs
   * @param maxQueueImages most images waiting; beyond it, RESOURCE_EXHAUSTED
   */
  public record Settings(int maxBatchImages, long maxWaitNanos, int maxQueueImages) {
    public static final int DEFAULT_MAX_BATCH_IMAGES = 256;
    /**
     * No deliberate wait: requests that arrive while a forward pass runs share the next one, which is
     * where batching pays; waiting for company only delays a lone request (docs/serving.md measures both).
     */
    public static final long DEFAULT_MAX_WAIT_MS = 0;
    public static final int DEFAULT_MAX_QUEUE_IMAGES = 2048;

    public Settings {
      if (maxBatchImages < 1 || maxWaitNanos < 0 || maxQueueImages < 1) {
        throw new IllegalArgumentException("max batch and queue must be at least 1 image, max wait at least 0");
      }
    }

    public static Settings defaults() {
      return new Settings(DEFAULT_MAX_BATCH_IMAGES, TimeUnit.MILLISECONDS.toNanos(DEFAULT_MAX_WAIT_MS),
          DEFAULT_MAX_QUEUE_IMAGES);
    }

    /** Every request alone: the benchmark's baseline. */
    public Settings unbatched() {
      return new Settings(1, 0, maxQueueImages);
    }
  }
}
