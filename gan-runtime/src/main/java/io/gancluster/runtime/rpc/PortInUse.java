package io.gancluster.runtime.rpc;

import io.vertx.core.Future;
import java.net.BindException;

/**
 * Turns the socket layer's bare "Address already in use" into a message that names the port, so a
 * user running two clusters side by side knows which option to change.
 */
public final class PortInUse {
  private PortInUse() {}

  /** {@code listening}, with a bind failure on host:port reported as an IllegalStateException naming both. */
  public static <T> Future<T> explain(Future<T> listening, String what, String host, int port) {
    return listening.recover(e -> {
      if (e instanceof BindException) {
        return Future.failedFuture(new IllegalStateException(what + ": port " + port + " on " + host
            + " is already in use (another gan process?); stop it or choose another port", e));
      }
      return Future.failedFuture(e);
    });
  }
}
