package io.gancluster.runtime.rpc;

import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;

/**
 * Model versions (checkpoint ids such as {@code demo/checkpoint-000001600}) as the trainer publishes them
 * and as a Sample request pins them ({@code model_version}). The generator replicas refuse a pinned
 * version they do not hold with {@link #notHeld}; the gateway reads the version they hold back with
 * {@link #heldIn} to name, in its own answer, the versions its replicas hold.
 */
public final class ModelVersions {
  /** Longest version accepted, in characters (printable ASCII only). */
  public static final int MAX_CHARS = 256;
  private static final String HOLDS = "; this replica holds '";

  private ModelVersions() {}

  /**
   * @throws IllegalArgumentException unless {@code version} is at most {@link #MAX_CHARS} printable ASCII
   *     characters; {@code what} names it in the message
   */
  public static void check(String version, String what) {
    if (version.length() > MAX_CHARS || !version.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException(what + " must be at most " + MAX_CHARS
          + " printable ASCII characters (a checkpoint id such as run/checkpoint-000000100)");
    }
  }

  /** FAILED_PRECONDITION: {@code wanted} was pinned, this replica holds {@code held}. */
  public static StatusException notHeld(String wanted, String held) {
    return new StatusException(GrpcStatus.FAILED_PRECONDITION, "model version '" + wanted + "' is not served here"
        + HOLDS + held + "'");
  }

  /**
   * The version a replica said it holds in a {@link #notHeld} message, or null; the message may carry a
   * status before it and the caller's notes after it, such as " (from 127.0.0.1:9101)", without quotes.
   */
  public static String heldIn(String message) {
    int at = message == null ? -1 : message.lastIndexOf(HOLDS);
    int end = message == null ? -1 : message.lastIndexOf('\'');
    if (at < 0 || end < at + HOLDS.length()) {
      return null;
    }
    return message.substring(at + HOLDS.length(), end);
  }
}
