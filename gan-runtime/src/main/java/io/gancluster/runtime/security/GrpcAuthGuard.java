package io.gancluster.runtime.security;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Checks the bearer token of every gRPC call before the call reaches its service: a request without
 * the token its method needs ({@link Access}) is answered UNAUTHENTICATED (gRPC status 16) at once, as a
 * trailers-only response, and its body is never decoded. Health checks stay open for probes.
 */
public final class GrpcAuthGuard implements Handler<HttpServerRequest> {
  private static final int UNAUTHENTICATED = 16;

  private final Handler<HttpServerRequest> next;
  private final Security security;

  /** @param security the settings the server started with (they do not change under a running server) */
  public GrpcAuthGuard(Handler<HttpServerRequest> next, Security security) {
    this.next = next;
    this.security = security;
  }

  @Override
  public void handle(HttpServerRequest request) {
    String method = request.path();
    Access access = Access.of(method);
    if (security.allows(access, request.getHeader("authorization"))) {
      next.handle(request);
      return;
    }
    String why = (request.getHeader("authorization") == null ? "missing" : "wrong") + " bearer token for " + method
        + " (" + access.name().toLowerCase(java.util.Locale.ROOT) + " access)";
    request.response()
        .putHeader("content-type", "application/grpc")
        .putHeader("grpc-status", Integer.toString(UNAUTHENTICATED))
        .putHeader("grpc-message", URLEncoder.encode(why, StandardCharsets.UTF_8).replace("+", "%20"))
        .end();
  }
}
