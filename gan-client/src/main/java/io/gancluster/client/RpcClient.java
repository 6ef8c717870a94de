package io.gancluster.client;

import io.gancluster.runtime.rpc.GrpcEndpoints;
import io.gancluster.runtime.rpc.RpcException;
import io.gancluster.runtime.security.Security;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * A Vert.x {@link GrpcClient} with the cluster's message limit and one caller's identity (TLS trust and
 * bearer token, from the {@link Security} it was made with), whose unary calls keep the server's status
 * message on failure (Vert.x's generated clients drop it).
 */
public final class RpcClient {
  private final GrpcClient grpc;
  private final String authorization;

  private RpcClient(GrpcClient grpc, Security security) {
    this.grpc = grpc;
    this.authorization = security.outgoingAuthorization();
  }

  /** A client speaking TLS when {@code security} has it, sending its control token (if any) on every call. */
  public static RpcClient create(Vertx vertx, Security security) {
    GrpcClient grpc = GrpcClient.client(vertx, new GrpcClientOptions().setMaxMessageSize(GrpcEndpoints.MAX_MESSAGE_BYTES),
        security.clientOptions());
    return new RpcClient(grpc, security);
  }

  /** Plain TCP, no token: for local tools and tests against open services. */
  public static RpcClient plain(Vertx vertx) {
    return create(vertx, Security.NONE);
  }

  /** The underlying client, for streaming calls (which must {@link #authorize} their requests). */
  public GrpcClient grpc() {
    return grpc;
  }

  public <Req, Resp> Future<Resp> unary(SocketAddress address, ServiceMethod<Resp, Req> method, Req request,
      long timeoutMillis) {
    String peer = address.host() + ":" + address.port();
    return grpc.request(address, method)
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

  /** Adds this client's bearer token to an outgoing call. */
  public void authorize(GrpcClientRequest<?, ?> request) {
    if (authorization != null) {
      request.headers().set("authorization", authorization);
    }
  }

  public Future<Void> close() {
    return grpc.close();
  }

  private static Throwable translate(Throwable err, String peer, ServiceMethod<?, ?> method) {
    if (err instanceof RpcException) {
      return err;
    }
    String call = method.serviceName().fullyQualifiedName() + "/" + method.methodName();
    // refused, reset or closed mid-call: the peer is down or restarting, which is what UNAVAILABLE means
    if (err instanceof IOException || err.getCause() instanceof IOException || err instanceof HttpClosedException
        || err instanceof StreamResetException || String.valueOf(err.getMessage()).contains("Connection refused")) {
      return new RpcException(GrpcStatus.UNAVAILABLE, call + ": cannot reach " + peer + " (" + err.getMessage() + ")", err);
    }
    return new RpcException(GrpcStatus.UNKNOWN, call + " at " + peer + " failed: " + err, err);
  }
}
