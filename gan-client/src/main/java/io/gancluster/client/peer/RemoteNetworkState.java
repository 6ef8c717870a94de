package io.gancluster.client.peer;

import io.gancluster.client.Retry;

import com.google.protobuf.ByteString;
import io.gancluster.runtime.networkservice.ComputeReports;
import io.gancluster.runtime.rpc.Blocking;
import io.gancluster.runtime.networkservice.NetworkStateService;
import io.gancluster.proto.v1.DescribeRequest;
import io.gancluster.proto.v1.ExportStateRequest;
import io.gancluster.proto.v1.NetworkInfo;
import io.gancluster.proto.v1.NetworkStateBlob;
import java.time.Duration;

/** Export, import and update count of a remote network, with retries; shared by both remote peers. */
final class RemoteNetworkState {
  private static final Duration TIMEOUT = Duration.ofMinutes(3);

  private final NetworkStateService service;
  private final Retry retry;
  private final String role;
  private final String name;

  RemoteNetworkState(NetworkStateService service, Retry retry, String role, String name) {
    this.service = service;
    this.retry = retry;
    this.role = role;
    this.name = name;
  }

  byte[] export() {
    return retry.call(name, "ExportState",
        () -> Blocking.await(service.exportState(ExportStateRequest.getDefaultInstance()), TIMEOUT))
        .getPayload().toByteArray();
  }

  long importState(byte[] state) {
    NetworkStateBlob blob = NetworkStateBlob.newBuilder().setNetwork(role).setPayload(ByteString.copyFrom(state)).build();
    return retry.call(name, "ImportState", () -> Blocking.await(service.importState(blob), TIMEOUT)).getUpdates();
  }

  long updates() {
    return info().getUpdates();
  }

  String recipe() {
    return info().getRecipe();
  }

  String compute() {
    return ComputeReports.describe(info().getCompute());
  }

  private NetworkInfo info() {
    return retry.call(name, "Describe",
        () -> Blocking.await(service.describe(DescribeRequest.getDefaultInstance()), TIMEOUT));
  }
}
