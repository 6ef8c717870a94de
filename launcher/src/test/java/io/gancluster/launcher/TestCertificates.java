package io.gancluster.launcher;

import io.gancluster.runtime.security.Security;
import java.nio.file.Path;
import java.util.List;

/** A throw-away self-signed certificate for 127.0.0.1 / localhost, made with the JDK's keytool. */
final class TestCertificates {
  static final String PASSWORD = "test-password";

  private TestCertificates() {}

  static Path keystore(Path dir) throws Exception {
    Path p12 = dir.resolve("gan-test.p12");
    Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "gan", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
        "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
        "-keystore", p12.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException("keytool failed: " + out);
    }
    return p12;
  }

  static Security.Tls tls(Path p12) {
    return new Security.Tls(p12, null, p12, PASSWORD, true);
  }
}
