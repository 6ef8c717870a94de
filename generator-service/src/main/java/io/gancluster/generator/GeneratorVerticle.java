package io.gancluster.generator;

import io.gancluster.core.model.recipe.Preset;
import io.gancluster.runtime.networkservice.NetworkServiceOptions;
import io.gancluster.runtime.networkservice.NetworkServiceVerticle;
import org.nd4j.linalg.api.buffer.DataType;

/** Deploys generator-service: builds G on its own worker thread and serves it over gRPC. */
public final class GeneratorVerticle extends NetworkServiceVerticle<GeneratorTrainer> {
  public GeneratorVerticle(NetworkServiceOptions options) {
    super(options, "generator", GeneratorGrpcService.SERVICE_NAME, options.getPreset().generatorRecipe(),
        o -> new GeneratorTrainer(o.getPreset(), DataType.FLOAT, o.getSeed()), GeneratorGrpcService::new);
  }

  public static GeneratorVerticle forPreset(Preset preset, long seed, int port) {
    return new GeneratorVerticle(NetworkServiceOptions.forGenerator(preset, seed).setPort(port));
  }
}
