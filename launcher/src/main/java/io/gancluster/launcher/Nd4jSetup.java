package io.gancluster.launcher;

import io.gancluster.core.compute.ComputeDevice;
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

  /** Loads ND4J's backend (IllegalStateException naming the cause if none loads); logs it when asked. */
  static void describeBackend(boolean log) {
    ComputeDevice device = ComputeDevice.current();
    if (log) {
      LOG.info("ND4J backend {}", device.describe());
    }
  }
}
