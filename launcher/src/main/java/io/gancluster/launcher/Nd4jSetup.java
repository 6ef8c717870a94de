package io.gancluster.launcher;

import io.gancluster.core.compute.ComputeDevice;
import io.gancluster.core.compute.ComputeGate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** ND4J start-up: quiet logs, and one line saying which backend, device and native build run. */
final class Nd4jSetup {
  private static final Logger LOG = LoggerFactory.getLogger("gan");

  private Nd4jSetup() {}

  static void quietLogs() {
    // SameDiff logs every differentiated op at INFO; set before any logger is created
    System.setProperty("org.slf4j.simpleLogger.log.org.nd4j", System.getProperty("org.slf4j.simpleLogger.log.org.nd4j", "warn"));
    System.setProperty("org.slf4j.simpleLogger.log.org.deeplearning4j", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.io.netty", "warn");
  }

  /**
   * Loads ND4J's backend and checks that it can run on the device, then logs it when asked.
   *
   * @throws IllegalStateException naming the cause if no backend loads; its subclass
   *     {@code UnsupportedGpuException} on a GPU the ND4J build has no code for
   */
  static void describeBackend(Supplier<ComputeDevice> devices, boolean log) {
    ComputeDevice device = ComputeGate.admit(devices.get());
    if (log) {
      LOG.info("ND4J backend {}", device.describe());
    }
  }
}
