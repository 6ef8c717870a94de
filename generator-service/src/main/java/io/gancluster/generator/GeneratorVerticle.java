package io.gancluster.generator;

import io.gancluster.core.model.recipe.Preset;
import io.gancluster.runtime.networkservice.NetworkServiceOptions;
import io.gancluster.runtime.networkservice.NetworkServiceVerticle;
import io.vertx.core.WorkerExecutor;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.Service;
import org.nd4j.linalg.api.buffer.DataType;

/** Deploys generator-service: builds G on its own worker thread and serves it over gRPC. */
public final class GeneratorVerticle extends NetworkServiceVerticle<GeneratorTrainer> {
  public GeneratorVerticle(NetworkServiceOptions options) {
    super(options, "generator");
  }

  public static GeneratorVerticle forPreset(Preset preset, long seed, int port) {
    return new GeneratorVerticle(NetworkServiceOptions.forGenerator(preset, seed).setPort(port));
  }

  @Override
  protected GeneratorTrainer buildNetwork() {
    return new GeneratorTrainer(options.getPreset(), DataType.FLOAT, options.getSeed());
  }

  @Override
  protected Service grpcService(GeneratorTrainer network, WorkerExecutor worker) {
    return new GeneratorGrpcService(network, worker, options);
  }

  @Override
  protected ServiceName serviceName() {
    return GeneratorGrpcService.SERVICE_NAME;
  }

  @Override
  protected String recipe() {
    return options.getPreset().generatorRecipe();
  }
}
