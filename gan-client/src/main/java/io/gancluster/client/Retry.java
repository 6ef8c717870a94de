package io.gancluster.client;

import io.gancluster.runtime.rpc.RpcException;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a call to a peer that is UNAVAILABLE (down or restarting) with exponential back-off, saying
 * which peer; every other failure goes straight to the caller. Calls retried here are idempotent on
 * the services' side (per step id).
 */
public final class Retry {
  private static final Logger LOG = LoggerFactory.getLogger(Retry.class);

  private final int attempts;
  private final Duration firstDelay;
  private final Duration maxDelay;

  public Retry(int attempts, Duration firstDelay, Duration maxDelay) {
    this.attempts = Math.max(1, attempts);
    this.firstDelay = firstDelay;
    this.maxDelay = maxDelay;
  }

  /** About two minutes of patience (0.25, 0.5, 1, 2, 4, then every 8 s): long enough for a peer's restart. */
  public static Retry defaults() {
    return new Retry(20, Duration.ofMillis(250), Duration.ofSeconds(8));
  }

  public <T> T call(String peer, String what, Supplier<T> call) {
    long delay = firstDelay.toMillis();
    for (int attempt = 1; ; attempt++) {
      try {
        return call.get();
      } catch (RpcException e) {
        if (!e.isRetryable() || attempt >= attempts) {
          throw new PeerUnavailableException(peer + ": " + what + " failed after " + attempt + " attempt(s): "
              + e.getMessage(), e);
        }
        LOG.warn("{} unavailable for {} (attempt {}/{}), retrying in {} ms: {}", peer, what, attempt, attempts,
            delay, e.getMessage());
        sleep(delay);
        delay = Math.min(maxDelay.toMillis(), delay * 2);
      }
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to retry", e);
    }
  }

  /** A peer stayed unreachable, or refused a call; the message names it. */
  public static final class PeerUnavailableException extends RuntimeException {
    public PeerUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
