package io.gancluster.client;

import io.gancluster.runtime.rpc.HostPort;
import io.vertx.core.Future;
import io.vertx.grpc.common.ServiceMethod;

/** A client of one service at one address: every call is a unary {@link RpcClient} call with one timeout. */
abstract class ServiceClient {
  public static final long DEFAULT_TIMEOUT_MS = 120_000;

  private final RpcClient client;
  private final HostPort address;

  ServiceClient(RpcClient client, HostPort address) {
    this.client = client;
    this.address = address;
  }

  public HostPort address() {
    return address;
  }

  final <Req, Resp> Future<Resp> call(ServiceMethod<Resp, Req> method, Req request) {
    return client.unary(address.socketAddress(), method, request, DEFAULT_TIMEOUT_MS);
  }
}
