package io.gancluster.client;

import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.proto.v1.ApplyGradientRequest;
import io.gancluster.proto.v1.ApplyGradientResponse;
import io.gancluster.proto.v1.GenerateRequest;
import io.gancluster.proto.v1.GetModelInfoRequest;
import io.gancluster.proto.v1.ModelInfo;
import io.gancluster.proto.v1.GenerateResponse;
import io.gancluster.proto.v1.GeneratorService;
import io.gancluster.proto.v1.GeneratorServiceGrpcClient;
import io.gancluster.proto.v1.GeneratorSampleRequest;
import io.gancluster.proto.v1.GeneratorSampleResponse;
import io.vertx.core.Future;

/** A gRPC client of generator-service that keeps the server's error messages. */
public final class GeneratorClient extends NetworkServiceClient implements GeneratorService {
  public GeneratorClient(RpcClient client, HostPort address) {
    super(client, address, GeneratorServiceGrpcClient.ExportState, GeneratorServiceGrpcClient.ImportState,
        GeneratorServiceGrpcClient.Describe);
  }

  @Override
  public Future<GenerateResponse> generate(GenerateRequest request) {
    return call(GeneratorServiceGrpcClient.Generate, request);
  }

  @Override
  public Future<ApplyGradientResponse> applyGradient(ApplyGradientRequest request) {
    return call(GeneratorServiceGrpcClient.ApplyGradient, request);
  }

  @Override
  public Future<GeneratorSampleResponse> sample(GeneratorSampleRequest request) {
    return call(GeneratorServiceGrpcClient.Sample, request);
  }

  @Override
  public Future<ModelInfo> publishModel(ModelInfo request) {
    return call(GeneratorServiceGrpcClient.PublishModel, request);
  }

  @Override
  public Future<ModelInfo> getModelInfo(GetModelInfoRequest request) {
    return call(GeneratorServiceGrpcClient.GetModelInfo, request);
  }
}
