package io.gancluster.launcher;

import java.nio.file.Path;
import java.util.List;

/**
 * A self-signed EC certificate for 127.0.0.1 / localhost in a PKCS#12 keystore, made with the JDK's
 * keytool: for benchmarks and tests that need TLS on loopback without a CA.
 */
final class ThrowAwayCertificate {
  private ThrowAwayCertificate() {}

  /** Writes {@code dir/gan-throwaway.p12}, valid for two days, protected by {@code password}. */
  static Path create(Path dir, String password) throws Exception {
    Path p12 = dir.resolve("gan-throwaway.p12");
    Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "gan", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
        "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
        "-keystore", p12.toString(), "-storepass", password, "-keypass", password))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException("keytool failed: " + out);
    }
    return p12;
  }
}
