package io.gancluster.discriminator;

import io.gancluster.core.model.recipe.Preset;
import io.gancluster.runtime.networkservice.NetworkServiceOptions;
import io.gancluster.runtime.networkservice.NetworkServiceVerticle;
import org.nd4j.linalg.api.buffer.DataType;

/** Deploys discriminator-service: builds D on its own worker thread and serves it over gRPC. */
public final class DiscriminatorVerticle extends NetworkServiceVerticle<DiscriminatorTrainer> {
  public DiscriminatorVerticle(NetworkServiceOptions options) {
    super(options, "discriminator", DiscriminatorGrpcService.SERVICE_NAME, options.getPreset().discriminatorRecipe(),
        o -> new DiscriminatorTrainer(o.getPreset(), DataType.FLOAT, o.getSeed()), DiscriminatorGrpcService::new);
  }

  public static DiscriminatorVerticle forPreset(Preset preset, long seed, int port) {
    return new DiscriminatorVerticle(NetworkServiceOptions.forDiscriminator(preset, seed).setPort(port));
  }
}
