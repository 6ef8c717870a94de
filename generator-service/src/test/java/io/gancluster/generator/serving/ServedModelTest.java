package io.gancluster.generator.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.gancluster.core.checkpoint.Checkpoint;
import io.gancluster.core.checkpoint.CheckpointRecipe;
import io.gancluster.core.checkpoint.CheckpointStore;
import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.model.recipe.Presets;
import io.gancluster.generator.GeneratorTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** A replica rebuilds the generator a run trained from its checkpoint alone, options included. */
class ServedModelTest {
  @TempDir
  Path tmp;

  @Test
  void aRunTrainedWithAnEmaOptionIsServedFromItsAverage() throws Exception {
    Preset trained = Presets.get("tiny").withEmaDecay(0.9); // the preset has none: --ema-decay 0.9
    GeneratorTrainer g = new GeneratorTrainer(trained, DataType.FLOAT, 3);
    for (long s = 0; s < 6; s++) {
      g.generate(s, Nd4j.randn(DataType.FLOAT, 4, g.zDim()), true);
      g.applyGradient(s, Nd4j.randn(DataType.FLOAT, 4, 1, 28, 28));
    }
    float[] average = g.sample(8, 5).data().asFloat();
    assertThat(average).isNotEqualTo(g.sampleRawWeights(true).sample(8, 5).data().asFloat());

    Map<String, String> now = new HashMap<>(Map.of("preset", "tiny", "generator", trained.generatorRecipe()));
    CheckpointRecipe.record(trained, now);
    Map<String, String> older = Map.of("preset", "tiny", "generator", trained.generatorRecipe(), "latent", "normal");
    int i = 0;
    for (Map<String, String> config : List.of(now, older)) {
      Path file = new CheckpointStore(tmp.resolve("c" + i++), 1)
          .write(new Checkpoint(6, 0, 1, config, g.exportState(), new byte[0]));
      ServedModel served = ServedModel.load("run/checkpoint-6", Files.readAllBytes(file));
      assertThat(served.generator().sample(8, 5).data().asFloat()).as("%s", config.keySet()).containsExactly(average);
    }
  }
}
