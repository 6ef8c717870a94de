package io.gancluster.core.rpc;

import io.vertx.core.Future;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import java.util.concurrent.TimeUnit;

/** Unary calls over a Vert.x {@link GrpcClient} that keep the server's status message on failure. */
public final class RpcCall {
  private RpcCall() {}

  public static <Req, Resp> Future<Resp> unary(GrpcClient client, SocketAddress address,
      ServiceMethod<Resp, Req> method, Req request, long timeoutMillis) {
    String peer = address.host() + ":" + address.port();
    return client.request(address, method)
        .compose(req -> {
          authorize(req);
          if (timeoutMillis > 0) {
            req.timeout(timeoutMillis, TimeUnit.MILLISECONDS);
          }
          return req.send(request);
        })
        .compose(resp -> resp.last().recover(err -> {
          GrpcStatus status = resp.status();
          if (status != null && status != GrpcStatus.OK) {
            return Future.failedFuture(new RpcException(status, resp.statusMessage() + " (from " + peer + ")"));
          }
          return Future.failedFuture(err);
        }))
        .recover(err -> Future.failedFuture(translate(err, peer, method)));
  }

  /** Adds this process's bearer token to an outgoing call (streaming callers use it directly). */
  public static void authorize(io.vertx.grpc.client.GrpcClientRequest<?, ?> request) {
    String auth = io.gancluster.core.security.Security.current().outgoingAuthorization();
    if (auth != null) {
      request.headers().set("authorization", auth);
    }
  }

  private static Throwable translate(Throwable err, String peer, ServiceMethod<?, ?> method) {
    if (err instanceof RpcException) {
      return err;
    }
    String call = method.serviceName().fullyQualifiedName() + "/" + method.methodName();
    // refused, reset or closed mid-call: the peer is down or restarting, which is what UNAVAILABLE means
    if (err instanceof java.io.IOException || err.getCause() instanceof java.io.IOException
        || err instanceof io.vertx.core.http.HttpClosedException
        || err instanceof io.vertx.core.http.StreamResetException
        || String.valueOf(err.getMessage()).contains("Connection refused")) {
      return new RpcException(GrpcStatus.UNAVAILABLE, call + ": cannot reach " + peer + " (" + err.getMessage() + ")", err);
    }
    return new RpcException(GrpcStatus.UNKNOWN, call + " at " + peer + " failed: " + err, err);
  }
}
