package io.gancluster.client.peer;

import io.gancluster.client.Retry;

import com.google.protobuf.ByteString;
import io.gancluster.runtime.networkservice.ComputeReports;
import io.gancluster.runtime.networkservice.NetworkStateService;
import io.gancluster.runtime.rpc.Blocking;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.proto.v1.DescribeRequest;
import io.gancluster.proto.v1.ExportStateRequest;
import io.gancluster.proto.v1.NetworkInfo;
import io.gancluster.proto.v1.NetworkStateBlob;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.function.Supplier;

/** What both remote peers do alike: name the service, retry its calls, export and import state, describe it. */
abstract class RemotePeer<C extends NetworkStateService> implements NetworkPeer {
  private static final Duration TIMEOUT = Duration.ofMinutes(3);

  final C client;
  private final Retry retry;
  private final String role;
  private final String name;

  /** @param role "generator" or "discriminator": the state blob's network and the service's name */
  RemotePeer(C client, HostPort address, Retry retry, String role) {
    this.client = client;
    this.retry = retry;
    this.role = role;
    this.name = role + "-service at " + address;
  }

  /** One unary call, retried while the service is UNAVAILABLE. */
  final <T> T call(String what, Supplier<Future<T>> rpc) {
    return retry.call(name, what, () -> Blocking.await(rpc.get(), TIMEOUT));
  }

  @Override
  public byte[] exportState() {
    return call("ExportState", () -> client.exportState(ExportStateRequest.getDefaultInstance()))
        .getPayload().toByteArray();
  }

  @Override
  public long importState(byte[] state) {
    NetworkStateBlob blob = NetworkStateBlob.newBuilder().setNetwork(role).setPayload(ByteString.copyFrom(state)).build();
    return call("ImportState", () -> client.importState(blob)).getUpdates();
  }

  @Override
  public long updates() {
    return info().getUpdates();
  }

  @Override
  public String recipe() {
    return info().getRecipe();
  }

  @Override
  public String describe() {
    return name;
  }

  @Override
  public String compute() {
    return ComputeReports.describe(info().getCompute());
  }

  private NetworkInfo info() {
    return call("Describe", () -> client.describe(DescribeRequest.getDefaultInstance()));
  }
}
