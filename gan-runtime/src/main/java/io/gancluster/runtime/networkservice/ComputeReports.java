package io.gancluster.runtime.networkservice;

import io.gancluster.core.compute.ComputeDevice;
import io.gancluster.proto.v1.Compute;

/** {@link ComputeDevice} on the wire: what a network service reports in {@code NetworkInfo.compute}. */
public final class ComputeReports {
  private ComputeReports() {}

  public static Compute toProto(ComputeDevice d) {
    return Compute.newBuilder().setBackend(d.backend()).setDevice(d.device()).setMemoryBytes(d.memoryBytes())
        .setDetail(d.detail()).build();
  }

  /** A peer's report, as a log line; "unknown" for a peer that predates the field. */
  public static String describe(Compute c) {
    return c.getBackend().isEmpty() ? "unknown"
        : new ComputeDevice(c.getBackend(), c.getDevice(), c.getMemoryBytes(), c.getDetail()).describe();
  }
}
