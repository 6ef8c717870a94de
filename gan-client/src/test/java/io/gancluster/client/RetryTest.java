package io.gancluster.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gancluster.runtime.rpc.RpcException;
import io.vertx.grpc.common.GrpcStatus;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryTest {
  final Retry retry = new Retry(4, Duration.ofMillis(1), Duration.ofMillis(4));

  @Test
  void retriesAnUnavailablePeerUntilItAnswers() {
    AtomicInteger calls = new AtomicInteger();
    String answer = retry.call("discriminator-service at h:1", "TrainStep", () -> {
      if (calls.incrementAndGet() < 3) {
        throw new RpcException(GrpcStatus.UNAVAILABLE, "down");
      }
      return "ok";
    });
    assertThat(answer).isEqualTo("ok");
    assertThat(calls).hasValue(3);
  }

  @Test
  void givesUpAfterTheLastAttemptNamingThePeer() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> retry.call("discriminator-service at h:1", "TrainStep", () -> {
      calls.incrementAndGet();
      throw new RpcException(GrpcStatus.UNAVAILABLE, "connection refused");
    })).isInstanceOf(Retry.PeerUnavailableException.class)
        .hasMessageContaining("discriminator-service at h:1").hasMessageContaining("after 4 attempt(s)");
    assertThat(calls).hasValue(4);
  }

  @Test
  void doesNotRetryARefusal() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> retry.call("generator-service at h:2", "Generate", () -> {
      calls.incrementAndGet();
      throw new RpcException(GrpcStatus.INVALID_ARGUMENT, "bad shape");
    })).hasMessageContaining("bad shape");
    assertThat(calls).hasValue(1);
  }

  @Test
  void anInterruptedWaitStopsRetryingAndKeepsTheInterrupt() {
    Retry slow = new Retry(3, Duration.ofSeconds(30), Duration.ofSeconds(60));
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> slow.call("generator-service at h:2", "Generate", () -> {
        throw new RpcException(GrpcStatus.UNAVAILABLE, "down");
      })).isInstanceOf(IllegalStateException.class).hasMessageContaining("interrupted");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void theDelayDoublesUpToTheCap() {
    Retry doubling = new Retry(5, Duration.ofMillis(20), Duration.ofMillis(40));
    long started = System.nanoTime();
    assertThatThrownBy(() -> doubling.call("p", "w", () -> {
      throw new RpcException(GrpcStatus.UNAVAILABLE, "down");
    })).hasMessageContaining("after 5 attempt(s)");
    // 20 + 40 + 40 + 40 ms of waiting
    assertThat((System.nanoTime() - started) / 1_000_000).isBetween(140L, 5_000L);
  }
}
