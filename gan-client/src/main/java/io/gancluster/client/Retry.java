package io.gancluster.client;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import dev.failsafe.RetryPolicyConfig;
import io.gancluster.runtime.rpc.RpcException;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a call to a peer that is UNAVAILABLE (down or restarting) with exponential back-off, saying
 * which peer; every other failure goes straight to the caller. Calls retried here are idempotent on
 * the services' side (per step id). The back-off itself is Failsafe's {@link RetryPolicy}.
 */
public final class Retry {
  private static final Logger LOG = LoggerFactory.getLogger(Retry.class);

  private final int attempts;
  /** What every call shares; each call adds a listener that names its peer. */
  private final RetryPolicyConfig<Object> policy;

  public Retry(int attempts, Duration firstDelay, Duration maxDelay) {
    this.attempts = Math.max(1, attempts);
    RetryPolicyBuilder<Object> b = RetryPolicy.builder()
        .handleIf(e -> e instanceof RpcException r && r.isRetryable())
        .withMaxAttempts(this.attempts);
    if (!firstDelay.isNegative() && !firstDelay.isZero() && firstDelay.compareTo(maxDelay) < 0) {
      b.withBackoff(firstDelay, maxDelay); // doubles each time, capped at maxDelay
    } else {
      b.withDelay(firstDelay.compareTo(maxDelay) < 0 ? firstDelay : maxDelay); // Failsafe's back-off needs 0 < first < max
    }
    this.policy = b.build().getConfig();
  }

  /** About two minutes of patience (0.25, 0.5, 1, 2, 4, then every 8 s): long enough for a peer's restart. */
  public static Retry defaults() {
    return new Retry(20, Duration.ofMillis(250), Duration.ofSeconds(8));
  }

  public <T> T call(String peer, String what, Supplier<T> call) {
    RetryPolicy<Object> named = RetryPolicy.builder(policy)
        .onRetryScheduled(e -> LOG.warn("{} unavailable for {} (attempt {}/{}), retrying in {} ms: {}", peer, what,
            e.getAttemptCount(), attempts, e.getDelay().toMillis(), e.getLastException().getMessage()))
        .build();
    int[] attempt = {0};
    try {
      return Failsafe.with(named).get(ctx -> {
        attempt[0] = ctx.getAttemptCount() + 1; // 0 while the first attempt runs
        return call.get();
      });
    } catch (RpcException e) { // not retryable, or the last attempt
      throw new PeerUnavailableException(peer + ": " + what + " failed after " + attempt[0] + " attempt(s): "
          + e.getMessage(), e);
    } catch (FailsafeException e) { // Failsafe wraps only checked exceptions: here, an interrupted wait
      if (e.getCause() instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting to retry", e.getCause());
      }
      throw e;
    }
  }

  /** A peer stayed unreachable, or refused a call; the message names it. */
  public static final class PeerUnavailableException extends RuntimeException {
    public PeerUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
