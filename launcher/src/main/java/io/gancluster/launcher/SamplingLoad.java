package io.gancluster.launcher;

import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.client.RpcClient;
import io.gancluster.runtime.rpc.RpcException;
import io.gancluster.proto.v1.SampleRequest;
import io.gancluster.proto.v1.SamplingServiceGrpcClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop sampling load on the gateway's gRPC API: each of N clients sends its next request as soon
 * as the previous one is answered, for a fixed time. Counts outcomes and keeps every latency.
 */
final class SamplingLoad {
  private SamplingLoad() {}

  /** What a load run saw. Latencies in ms of successful requests. */
  record Result(int clients, int count, double seconds, long ok, long rejected, long failed, double[] latenciesMs,
      Map<String, Long> errors) {
    double imagesPerSecond() {
      return ok * count / seconds;
    }

    double percentile(double p) {
      if (latenciesMs.length == 0) {
        return Double.NaN;
      }
      double[] v = latenciesMs.clone();
      Arrays.sort(v);
      return v[Math.min(v.length - 1, (int) Math.ceil(p * v.length) - 1)];
    }
  }

  static Result run(Vertx vertx, RpcClient client, HostPort gateway, int clients, int count, Duration duration) {
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    AtomicLong ok = new AtomicLong();
    AtomicLong rejected = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    List<Double> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
    Map<String, Long> errors = new ConcurrentHashMap<>();
    List<Future<Void>> loops = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      Promise<Void> done = Promise.promise();
      int id = c;
      vertx.runOnContext(v -> next(client, gateway, id, 0, count, end, ok, rejected, failed, latencies, errors, done));
      loops.add(done.future());
    }
    io.gancluster.runtime.rpc.Blocking.await(Future.all(loops), duration.plusMinutes(2));
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(clients, count, seconds, ok.get(), rejected.get(), failed.get(),
        latencies.stream().mapToDouble(Double::doubleValue).toArray(), errors);
  }

  private static void next(RpcClient client, HostPort gateway, int c, int i, int count, long end, AtomicLong ok,
      AtomicLong rejected, AtomicLong failed, List<Double> latencies, Map<String, Long> errors, Promise<Void> done) {
    if (System.nanoTime() > end) {
      done.complete();
      return;
    }
    long sent = System.nanoTime();
    client.unary(gateway.socketAddress(), SamplingServiceGrpcClient.Sample,
            SampleRequest.newBuilder().setCount(count).setSeed(c * 1_000_000L + i).build(), 60_000)
        .onSuccess(r -> {
          ok.incrementAndGet();
          latencies.add((System.nanoTime() - sent) / 1e6);
        })
        .onFailure(err -> {
          if (err instanceof RpcException r && r.status() == GrpcStatus.RESOURCE_EXHAUSTED) {
            rejected.incrementAndGet();
          } else {
            failed.incrementAndGet();
            errors.merge(String.valueOf(err.getMessage()), 1L, Long::sum);
          }
        })
        .onComplete(ar -> next(client, gateway, c, i + 1, count, end, ok, rejected, failed, latencies, errors, done));
  }
}
