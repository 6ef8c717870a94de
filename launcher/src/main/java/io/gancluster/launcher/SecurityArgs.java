package io.gancluster.launcher;

import io.gancluster.runtime.security.Security;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Bearer tokens and TLS, accepted by every command (inherited from {@code gan}) and installed as the
 * process's {@link Security} before any service starts. Tokens come from files or the environment,
 * never from the command line (which other users can read in the process list).
 */
final class SecurityArgs {
  @Option(names = "--control-token-file", paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "Bearer token required for control calls (start/stop, training steps, state, checkpoints) and "
          + "sent on this process's own calls. Default: $" + Security.CONTROL_TOKEN_ENV + "; unset: control is open.")
  Path controlTokenFile;

  @Option(names = "--sampling-token-file", paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "Bearer token required for sampling (gRPC and HTTP). Default: $" + Security.SAMPLING_TOKEN_ENV
          + "; unset: sampling is open.")
  Path samplingTokenFile;

  @Option(names = "--tls-cert", paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "Serve and call with TLS: this process's certificate (PEM, e.g. a Kubernetes TLS Secret's "
          + "tls.crt; or a .p12/.jks keystore).")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "The PEM private key of --tls-cert.")
  Path tlsKey;

  @Option(names = "--tls-ca", paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "CA certificate(s) to trust when calling peers (PEM or keystore). Default: --tls-cert itself.")
  Path tlsCa;

  @Option(names = "--tls-password-env", paramLabel = "VAR", scope = ScopeType.INHERIT, defaultValue = "GAN_TLS_PASSWORD",
      description = "Environment variable holding a .p12/.jks keystore's password. Default: ${DEFAULT-VALUE}")
  String tlsPasswordEnv;

  @Option(names = "--tls-no-verify-host", scope = ScopeType.INHERIT,
      description = "Do not check that a peer's certificate names the host dialled (test certificates only).")
  boolean noVerifyHost;

  Security toSecurity() {
    Security.Tls tls = tlsCert == null ? null
        : new Security.Tls(tlsCert, tlsKey, tlsCa, System.getenv(tlsPasswordEnv), !noVerifyHost);
    if (tls == null && (tlsKey != null || tlsCa != null)) {
      throw new IllegalArgumentException("--tls-key and --tls-ca need --tls-cert");
    }
    return Security.of(Security.secret(controlTokenFile, Security.CONTROL_TOKEN_ENV),
        Security.secret(samplingTokenFile, Security.SAMPLING_TOKEN_ENV), tls);
  }
}
