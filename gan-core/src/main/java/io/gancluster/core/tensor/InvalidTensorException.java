package io.gancluster.core.tensor;

/** A tensor that arrived over the wire does not fit what the receiver expects; the message says what was expected. */
public class InvalidTensorException extends IllegalArgumentException {
  public InvalidTensorException(String message) {
    super(message);
  }
}
