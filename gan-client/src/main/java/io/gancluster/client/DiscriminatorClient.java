package io.gancluster.client;

import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.runtime.networkservice.NetworkStateService;
import io.gancluster.proto.v1.DescribeRequest;
import io.gancluster.proto.v1.DiscriminatorService;
import io.gancluster.proto.v1.DiscriminatorServiceGrpcClient;
import io.gancluster.proto.v1.DiscriminatorStepRequest;
import io.gancluster.proto.v1.DiscriminatorStepResponse;
import io.gancluster.proto.v1.ExportStateRequest;
import io.gancluster.proto.v1.GeneratorGradientRequest;
import io.gancluster.proto.v1.GeneratorGradientResponse;
import io.gancluster.proto.v1.ImportStateResponse;
import io.gancluster.proto.v1.NetworkInfo;
import io.gancluster.proto.v1.NetworkStateBlob;
import io.vertx.core.Future;

/** A gRPC client of discriminator-service that keeps the server's error messages. */
public final class DiscriminatorClient extends ServiceClient implements DiscriminatorService, NetworkStateService {
  public DiscriminatorClient(RpcClient client, HostPort address) {
    super(client, address);
  }

  @Override
  public Future<DiscriminatorStepResponse> trainStep(DiscriminatorStepRequest request) {
    return call(DiscriminatorServiceGrpcClient.TrainStep, request);
  }

  @Override
  public Future<GeneratorGradientResponse> generatorGradient(GeneratorGradientRequest request) {
    return call(DiscriminatorServiceGrpcClient.GeneratorGradient, request);
  }

  @Override
  public Future<NetworkStateBlob> exportState(ExportStateRequest request) {
    return call(DiscriminatorServiceGrpcClient.ExportState, request);
  }

  @Override
  public Future<ImportStateResponse> importState(NetworkStateBlob request) {
    return call(DiscriminatorServiceGrpcClient.ImportState, request);
  }

  @Override
  public Future<NetworkInfo> describe(DescribeRequest request) {
    return call(DiscriminatorServiceGrpcClient.Describe, request);
  }
}
