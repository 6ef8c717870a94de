package io.gancluster.core.compute;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a service starts: lets it compute only on a device the loaded ND4J build can run on
 * ({@link CudaSupport}), so an unsupported GPU is one line at start, not a kernel error at the first step.
 */
public final class ComputeGate {
  private static final Logger LOG = LoggerFactory.getLogger(ComputeGate.class);
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  private ComputeGate() {}

  /** {@link #admit(ComputeDevice, CudaSupport)} against the build this JVM loaded. */
  public static ComputeDevice admit(ComputeDevice device) {
    return admit(device, CudaSupport.ofLoadedBuild());
  }

  /**
   * @return {@code device}, when {@code build} runs on it or cannot tell (then warns, once per JVM)
   * @throws UnsupportedGpuException with the one line to show, naming the GPU, its capability and the build's range
   */
  public static ComputeDevice admit(ComputeDevice device, CudaSupport build) {
    CudaSupport.Verdict v = build.check(device);
    if (v.outcome() == CudaSupport.Outcome.REFUSED) {
      throw new UnsupportedGpuException(v.message());
    }
    if (v.outcome() == CudaSupport.Outcome.UNCHECKED && WARNED.compareAndSet(false, true)) {
      LOG.warn(v.message());
    }
    return device;
  }
}
