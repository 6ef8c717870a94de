package io.gancluster.client;

import io.gancluster.proto.v1.DescribeRequest;
import io.gancluster.proto.v1.ExportStateRequest;
import io.gancluster.proto.v1.ImportStateResponse;
import io.gancluster.proto.v1.NetworkInfo;
import io.gancluster.proto.v1.NetworkStateBlob;
import io.gancluster.runtime.networkservice.NetworkStateService;
import io.gancluster.runtime.rpc.HostPort;
import io.vertx.core.Future;
import io.vertx.grpc.common.ServiceMethod;

/**
 * A client of a service that owns a network: the state calls both network services offer under their own
 * service names, so a checkpoint can treat either the same way.
 */
abstract class NetworkServiceClient extends ServiceClient implements NetworkStateService {
  private final ServiceMethod<NetworkStateBlob, ExportStateRequest> export;
  private final ServiceMethod<ImportStateResponse, NetworkStateBlob> importer;
  private final ServiceMethod<NetworkInfo, DescribeRequest> describe;

  NetworkServiceClient(RpcClient client, HostPort address, ServiceMethod<NetworkStateBlob, ExportStateRequest> export,
      ServiceMethod<ImportStateResponse, NetworkStateBlob> importer, ServiceMethod<NetworkInfo, DescribeRequest> describe) {
    super(client, address);
    this.export = export;
    this.importer = importer;
    this.describe = describe;
  }

  @Override
  public Future<NetworkStateBlob> exportState(ExportStateRequest request) {
    return call(export, request);
  }

  @Override
  public Future<ImportStateResponse> importState(NetworkStateBlob request) {
    return call(importer, request);
  }

  @Override
  public Future<NetworkInfo> describe(DescribeRequest request) {
    return call(describe, request);
  }
}
