package io.gancluster.discriminator;

import io.gancluster.core.rpc.HostPort;
import io.gancluster.core.rpc.NetworkStateService;
import io.gancluster.core.rpc.RpcCall;
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
import io.vertx.grpc.client.GrpcClient;

/** A gRPC client of discriminator-service that keeps the server's error messages. */
public final class DiscriminatorClient implements DiscriminatorService, NetworkStateService {
  public static final long DEFAULT_TIMEOUT_MS = 120_000;

  private final GrpcClient client;
  private final HostPort address;

  public DiscriminatorClient(GrpcClient client, HostPort address) {
    this.client = client;
    this.address = address;
  }

  public HostPort address() {
    return address;
  }

  @Override
  public Future<DiscriminatorStepResponse> trainStep(DiscriminatorStepRequest request) {
    return RpcCall.unary(client, address.socketAddress(), DiscriminatorServiceGrpcClient.TrainStep, request, DEFAULT_TIMEOUT_MS);
  }

  @Override
  public Future<GeneratorGradientResponse> generatorGradient(GeneratorGradientRequest request) {
    return RpcCall.unary(client, address.socketAddress(), DiscriminatorServiceGrpcClient.GeneratorGradient, request,
        DEFAULT_TIMEOUT_MS);
  }

  @Override
  public Future<NetworkStateBlob> exportState(ExportStateRequest request) {
    return RpcCall.unary(client, address.socketAddress(), DiscriminatorServiceGrpcClient.ExportState, request, DEFAULT_TIMEOUT_MS);
  }

  @Override
  public Future<ImportStateResponse> importState(NetworkStateBlob request) {
    return RpcCall.unary(client, address.socketAddress(), DiscriminatorServiceGrpcClient.ImportState, request, DEFAULT_TIMEOUT_MS);
  }

  @Override
  public Future<NetworkInfo> describe(DescribeRequest request) {
    return RpcCall.unary(client, address.socketAddress(), DiscriminatorServiceGrpcClient.Describe, request, DEFAULT_TIMEOUT_MS);
  }
}
