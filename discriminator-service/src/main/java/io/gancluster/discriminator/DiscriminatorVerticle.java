package io.gancluster.discriminator;

import io.gancluster.core.model.recipe.Preset;
import io.gancluster.runtime.networkservice.NetworkServiceOptions;
import io.gancluster.runtime.networkservice.NetworkServiceVerticle;
import io.vertx.core.WorkerExecutor;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.Service;
import org.nd4j.linalg.api.buffer.DataType;

/** Deploys discriminator-service: builds D on its own worker thread and serves it over gRPC. */
public final class DiscriminatorVerticle extends NetworkServiceVerticle<DiscriminatorTrainer> {
  public DiscriminatorVerticle(NetworkServiceOptions options) {
    super(options, "discriminator");
  }

  public static DiscriminatorVerticle forPreset(Preset preset, long seed, int port) {
    return new DiscriminatorVerticle(NetworkServiceOptions.forDiscriminator(preset, seed).setPort(port));
  }

  @Override
  protected DiscriminatorTrainer buildNetwork() {
    return new DiscriminatorTrainer(options.getPreset(), DataType.FLOAT, options.getSeed());
  }

  @Override
  protected Service grpcService(DiscriminatorTrainer network, WorkerExecutor worker) {
    return new DiscriminatorGrpcService(network, worker, options);
  }

  @Override
  protected ServiceName serviceName() {
    return DiscriminatorGrpcService.SERVICE_NAME;
  }

  @Override
  protected String recipe() {
    return options.getPreset().discriminatorRecipe();
  }
}
