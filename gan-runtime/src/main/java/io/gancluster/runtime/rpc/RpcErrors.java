package io.gancluster.runtime.rpc;

import io.gancluster.core.tensor.InvalidTensorException;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import java.util.NoSuchElementException;

/** Maps exceptions from service logic to the gRPC status a client sees; the message travels with it. */
public final class RpcErrors {
  private RpcErrors() {}

  public static StatusException toStatus(Throwable t) {
    if (t instanceof StatusException s) {
      return s;
    }
    if (t instanceof RpcException r) {
      // a peer of ours failed: say so, keep its status when it is the caller's problem
      return r.status() == GrpcStatus.INVALID_ARGUMENT ? new StatusException(GrpcStatus.INVALID_ARGUMENT, r.detail())
          : new StatusException(GrpcStatus.UNAVAILABLE, r.getMessage());
    }
    if (t instanceof InvalidTensorException || t instanceof IllegalArgumentException) {
      return new StatusException(GrpcStatus.INVALID_ARGUMENT, t.getMessage());
    }
    if (t instanceof NoSuchElementException) {
      return new StatusException(GrpcStatus.INVALID_ARGUMENT, t.getMessage());
    }
    if (t instanceof IllegalStateException) {
      return new StatusException(GrpcStatus.FAILED_PRECONDITION, t.getMessage());
    }
    return new StatusException(GrpcStatus.INTERNAL, t.getClass().getSimpleName() + ": " + t.getMessage());
  }

  public static StatusException invalidArgument(String message) {
    return new StatusException(GrpcStatus.INVALID_ARGUMENT, message);
  }
}
