package io.gancluster.runtime.security;

import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JksOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.TrustOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A service's security settings: the bearer tokens it requires and sends, and TLS. The launcher
 * builds one from files or the environment and hands it to every service it starts (in their options)
 * and to every client it makes; the default is {@link #NONE} (tokens off, plain TCP), which services log.
 *
 * <p>Tokens are compared in constant time and never logged; {@link #toString()} says only which are set.
 */
public final class Security {
  public static final String CONTROL_TOKEN_ENV = "GAN_CONTROL_TOKEN";
  public static final String SAMPLING_TOKEN_ENV = "GAN_SAMPLING_TOKEN";
  public static final Security NONE = new Security(null, null, null);

  private final byte[] controlToken;
  private final byte[] samplingToken;
  private final Tls tls;

  private Security(String controlToken, String samplingToken, Tls tls) {
    this.controlToken = bytes(controlToken);
    this.samplingToken = bytes(samplingToken);
    this.tls = tls;
  }

  /**
   * @param controlToken required for control calls, and sent by this process on every call it makes; null: off
   * @param samplingToken required for sampling calls (the control token is accepted too); null: sampling is open
   * @param tls certificates for servers and clients; null: plain TCP
   */
  public static Security of(String controlToken, String samplingToken, Tls tls) {
    return new Security(controlToken, samplingToken, tls);
  }

  /** A secret from a file (trimmed; for Kubernetes Secrets mounted as files) or else an environment variable. */
  public static String secret(Path file, String env) {
    try {
      if (file != null) {
        String s = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (s.isEmpty()) {
          throw new IllegalArgumentException("token file " + file + " is empty");
        }
        return s;
      }
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("cannot read token file " + file + ": " + e.getMessage(), e);
    }
    String v = System.getenv(env);
    return v == null || v.isBlank() ? null : v.trim();
  }

  public boolean controlTokenRequired() {
    return controlToken != null;
  }

  public boolean samplingTokenRequired() {
    return samplingToken != null;
  }

  /** Whether a request presenting {@code authorization} (the header's value, may be null) may make a call needing {@code access}. */
  public boolean allows(Access access, String authorization) {
    return switch (access) {
      case OPEN -> true;
      case SAMPLING -> samplingToken == null || matches(samplingToken, authorization)
          || (controlToken != null && matches(controlToken, authorization));
      case CONTROL -> controlToken == null || matches(controlToken, authorization);
    };
  }

  /** The authorization header this process sends on its own calls, or null. */
  public String outgoingAuthorization() {
    return controlToken == null ? null : "Bearer " + new String(controlToken, StandardCharsets.UTF_8);
  }

  public Tls tls() {
    return tls;
  }

  /** HTTP server options with TLS (and ALPN for gRPC's HTTP/2) when configured. */
  public HttpServerOptions serverOptions() {
    HttpServerOptions o = new HttpServerOptions();
    if (tls != null) {
      o.setSsl(true).setUseAlpn(true).setKeyCertOptions(tls.keyCert());
    }
    return o;
  }

  /** HTTP client options that trust the configured CA when TLS is on. */
  public HttpClientOptions clientOptions() {
    HttpClientOptions o = new HttpClientOptions().setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false);
    if (tls != null) {
      o.setSsl(true).setUseAlpn(true).setTrustOptions(tls.trustOptions()).setVerifyHost(tls.verifyHost());
    }
    return o;
  }

  private static boolean matches(byte[] expected, String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    return MessageDigest.isEqual(expected, authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] bytes(String token) {
    return token == null ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "control token " + (controlToken == null ? "off" : "required") + ", sampling token "
        + (samplingToken == null ? "off" : "required") + ", TLS " + (tls == null ? "off" : "on");
  }

  /**
   * Certificates: this process's certificate and key (PEM files, e.g. a Kubernetes TLS Secret's tls.crt
   * and tls.key, or one PKCS#12 / JKS keystore), and the CA its clients trust.
   *
   * @param verifyHost check that the server's certificate names the host dialled (on by default)
   */
  public record Tls(Path cert, Path key, Path trustStore, String password, boolean verifyHost) {
    KeyCertOptions keyCert() {
      String name = cert.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
      if (name.endsWith(".p12") || name.endsWith(".pfx")) {
        return new PfxOptions().setPath(cert.toString()).setPassword(password);
      }
      if (name.endsWith(".jks")) {
        return new JksOptions().setPath(cert.toString()).setPassword(password);
      }
      return new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(Objects.requireNonNull(key,
          "a PEM certificate needs its key (--tls-key)").toString());
    }

    TrustOptions trustOptions() {
      Path t = trustStore != null ? trustStore : cert;
      String name = t.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
      if (name.endsWith(".p12") || name.endsWith(".pfx")) {
        return new PfxOptions().setPath(t.toString()).setPassword(password);
      }
      if (name.endsWith(".jks")) {
        return new JksOptions().setPath(t.toString()).setPassword(password);
      }
      return new PemTrustOptions().addCertPath(t.toString());
    }
  }
}
