package io.gancluster.client;

import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.proto.v1.DiscriminatorService;
import io.gancluster.proto.v1.DiscriminatorServiceGrpcClient;
import io.gancluster.proto.v1.DiscriminatorStepRequest;
import io.gancluster.proto.v1.DiscriminatorStepResponse;
import io.gancluster.proto.v1.GeneratorGradientRequest;
import io.gancluster.proto.v1.GeneratorGradientResponse;
import io.vertx.core.Future;

/** A gRPC client of discriminator-service that keeps the server's error messages. */
public final class DiscriminatorClient extends NetworkServiceClient implements DiscriminatorService {
  public DiscriminatorClient(RpcClient client, HostPort address) {
    super(client, address, DiscriminatorServiceGrpcClient.ExportState, DiscriminatorServiceGrpcClient.ImportState,
        DiscriminatorServiceGrpcClient.Describe);
  }

  @Override
  public Future<DiscriminatorStepResponse> trainStep(DiscriminatorStepRequest request) {
    return call(DiscriminatorServiceGrpcClient.TrainStep, request);
  }

  @Override
  public Future<GeneratorGradientResponse> generatorGradient(GeneratorGradientRequest request) {
    return call(DiscriminatorServiceGrpcClient.GeneratorGradient, request);
  }
}
