package io.gancluster.core.compute;

/** The GPU is one the loaded ND4J CUDA build has no code for; the message is the one line to show. */
public final class UnsupportedGpuException extends IllegalStateException {
  public UnsupportedGpuException(String message) {
    super(message);
  }
}
