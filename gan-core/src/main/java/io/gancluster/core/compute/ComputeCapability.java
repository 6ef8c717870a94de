package io.gancluster.core.compute;

/**
 * A CUDA compute capability, e.g. 8.6. CUDA code targets name it as {@code sm_86} (machine code) or
 * {@code compute_86} (PTX): {@link #sm()} is that number.
 */
public record ComputeCapability(int major, int minor) {
  public ComputeCapability {
    if (major < 0 || minor < 0 || minor > 9) {
      throw new IllegalArgumentException("not a compute capability: " + major + "." + minor);
    }
  }

  /** From a target's number: 86 is 8.6 (minors are one digit in every CUDA architecture so far). */
  public static ComputeCapability ofSm(int sm) {
    return new ComputeCapability(sm / 10, sm % 10);
  }

  public int sm() {
    return major * 10 + minor;
  }

  @Override
  public String toString() {
    return major + "." + minor;
  }
}
