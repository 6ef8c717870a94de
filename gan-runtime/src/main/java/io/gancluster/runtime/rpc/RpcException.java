package io.gancluster.runtime.rpc;

import io.vertx.grpc.common.GrpcStatus;

/** A failed gRPC call with its status and the server's message (which Vert.x's generated clients drop). */
public class RpcException extends RuntimeException {
  private final GrpcStatus status;
  private final String detail;

  public RpcException(GrpcStatus status, String message) {
    super(status.name() + ": " + message);
    this.status = status;
    this.detail = message;
  }

  public RpcException(GrpcStatus status, String message, Throwable cause) {
    super(status.name() + ": " + message, cause);
    this.status = status;
    this.detail = message;
  }

  /** The message without the status in front: what to relay when the status is relayed too. */
  public String detail() {
    return detail;
  }

  public GrpcStatus status() {
    return status;
  }

  /** Whether trying again later may succeed (the peer is down or restarting). */
  public boolean isRetryable() {
    return status == GrpcStatus.UNAVAILABLE;
  }
}
