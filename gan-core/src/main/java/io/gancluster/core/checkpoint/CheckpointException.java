package io.gancluster.core.checkpoint;

/** A checkpoint that cannot be read or written; the message names the file and the reason. */
public class CheckpointException extends RuntimeException {
  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }

  public CheckpointException(String message) {
    super(message);
  }
}
