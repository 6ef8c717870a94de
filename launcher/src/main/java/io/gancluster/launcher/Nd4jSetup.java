package io.gancluster.launcher;

import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** ND4J start-up: one line saying which native build runs (the oneDNN one is ~10x faster). */
final class Nd4jSetup {
  private static final Logger LOG = LoggerFactory.getLogger("gan");

  private Nd4jSetup() {}

  /** Which nd4j-native classifier's library JavaCPP loaded (e.g. linux-x86_64-onednn-avx2). */
  private static String nativeBuild() {
    // JavaCPP extracts the library under a folder named for the classifier it came from
    String path = org.bytedeco.javacpp.Loader.getLoadedLibraries().get("nd4jcpu");
    return path == null ? "unknown" : java.nio.file.Path.of(path).getParent().getFileName().toString();
  }

  static void quietLogs() {
    // SameDiff logs every differentiated op at INFO; set before any logger is created
    System.setProperty("org.slf4j.simpleLogger.log.org.nd4j", System.getProperty("org.slf4j.simpleLogger.log.org.nd4j", "warn"));
    System.setProperty("org.slf4j.simpleLogger.log.org.deeplearning4j", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.io.netty", "warn");
  }

  static void describeBackend() {
    var env = Nd4j.getExecutioner().getEnvironmentInformation();
    LOG.info("ND4J {} backend, {} cores, BLAS {}, native build {}", env.get("backend"), env.get("cores"),
        env.get("blas.vendor"), nativeBuild());
  }
}
