package io.gancluster.generator;

import io.gancluster.core.rpc.HostPort;
import io.gancluster.core.rpc.NetworkStateService;
import io.gancluster.core.rpc.RpcCall;
import io.gancluster.proto.v1.ApplyGradientRequest;
import io.gancluster.proto.v1.ApplyGradientResponse;
import io.gancluster.proto.v1.DescribeRequest;
import io.gancluster.proto.v1.ExportStateRequest;
import io.gancluster.proto.v1.GenerateRequest;
import io.gancluster.proto.v1.GetModelInfoRequest;
import io.gancluster.proto.v1.ModelInfo;
import io.gancluster.proto.v1.GenerateResponse;
import io.gancluster.proto.v1.GeneratorService;
import io.gancluster.proto.v1.GeneratorServiceGrpcClient;
import io.gancluster.proto.v1.ImportStateResponse;
import io.gancluster.proto.v1.NetworkInfo;
import io.gancluster.proto.v1.NetworkStateBlob;
import io.gancluster.proto.v1.SampleRequest;
import io.gancluster.proto.v1.SampleResponse;
import io.vertx.core.Future;
import io.vertx.grpc.client.GrpcClient;

/** A gRPC client of generator-service that keeps the server's error messages. */
public final class GeneratorClient implements GeneratorService, NetworkStateService {
  public static final long DEFAULT_TIMEOUT_MS = 120_000;

  private final GrpcClient client;
  private final HostPort address;

  public GeneratorClient(GrpcClient client, HostPort address) {
    this.client = client;
    this.address = address;
  }

  public HostPort address() {
    return address;
  }

  @Override
  public Future<GenerateResponse> generate(GenerateRequest request) {
    return RpcCall.unary(client, address.socketAddress(), GeneratorServiceGrpcClient.Generate, request, DEFAULT_TIMEOUT_MS);
  }

  @Override
  public Future<ApplyGradientResponse> applyGradient(ApplyGradientRequest request) {
    return RpcCall.unary(client, address.socketAddress(), GeneratorServiceGrpcClient.ApplyGradient, request, DEFAULT_TIMEOUT_MS);
  }

  @Override
  public Future<SampleResponse> sample(SampleRequest request) {
    return RpcCall.unary(client, address.socketAddress(), GeneratorServiceGrpcClient.Sample, request, DEFAULT_TIMEOUT_MS);
  }

  @Override
  public Future<NetworkStateBlob> exportState(ExportStateRequest request) {
    return RpcCall.unary(client, address.socketAddress(), GeneratorServiceGrpcClient.ExportState, request, DEFAULT_TIMEOUT_MS);
  }

  @Override
  public Future<ImportStateResponse> importState(NetworkStateBlob request) {
    return RpcCall.unary(client, address.socketAddress(), GeneratorServiceGrpcClient.ImportState, request, DEFAULT_TIMEOUT_MS);
  }

  @Override
  public Future<ModelInfo> publishModel(ModelInfo request) {
    return RpcCall.unary(client, address.socketAddress(), GeneratorServiceGrpcClient.PublishModel, request, DEFAULT_TIMEOUT_MS);
  }

  @Override
  public Future<ModelInfo> getModelInfo(GetModelInfoRequest request) {
    return RpcCall.unary(client, address.socketAddress(), GeneratorServiceGrpcClient.GetModelInfo, request, DEFAULT_TIMEOUT_MS);
  }

  @Override
  public Future<NetworkInfo> describe(DescribeRequest request) {
    return RpcCall.unary(client, address.socketAddress(), GeneratorServiceGrpcClient.Describe, request, DEFAULT_TIMEOUT_MS);
  }
}
