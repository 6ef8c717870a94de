package io.gancluster.launcher;

import io.gancluster.runtime.security.Security;
import java.nio.file.Path;

/** The tests' throw-away certificate and the TLS settings that trust it. */
final class TestCertificates {
  static final String PASSWORD = "test-password";

  private TestCertificates() {}

  static Path keystore(Path dir) throws Exception {
    return ThrowAwayCertificate.create(dir, PASSWORD);
  }

  static Security.Tls tls(Path p12) {
    return new Security.Tls(p12, null, p12, PASSWORD, true);
  }
}
