package io.gancluster.core.rpc;

import io.vertx.core.Future;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import java.net.ConnectException;
import java.util.concurrent.TimeUnit;

/** Unary calls over a Vert.x {@link GrpcClient} that keep the server's status message on failure. */
public final class RpcCall {
  private RpcCall() {}

  public static <Req, Resp> Future<Resp> unary(GrpcClient client, SocketAddress address,
      ServiceMethod<Resp, Req> method, Req request, long timeoutMillis) {
    String peer = address.host() + ":" + address.port();
    return client.request(address, method)
        .compose(req -> {
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

  private static Throwable translate(Throwable err, String peer, ServiceMethod<?, ?> method) {
    if (err instanceof RpcException) {
      return err;
    }
    String call = method.serviceName().fullyQualifiedName() + "/" + method.methodName();
    if (err instanceof ConnectException || err.getCause() instanceof ConnectException
        || String.valueOf(err.getMessage()).contains("Connection refused")
        || String.valueOf(err.getMessage()).contains("Connection was closed")) {
      return new RpcException(GrpcStatus.UNAVAILABLE, call + ": cannot reach " + peer + " (" + err.getMessage() + ")", err);
    }
    return new RpcException(GrpcStatus.UNKNOWN, call + " at " + peer + " failed: " + err, err);
  }
}
