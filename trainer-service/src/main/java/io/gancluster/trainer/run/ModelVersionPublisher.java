package io.gancluster.trainer.run;

import io.gancluster.client.peer.GeneratorPeer;
import io.gancluster.trainer.schedule.StepReport;
import java.nio.file.Path;
import java.util.List;

/**
 * Tells generator-service which checkpoint its weights are (and the class names) whenever they change:
 * a checkpoint written, resumed from or rewound to. The run's first listener, so the generator knows its
 * version before anyone else hears of the checkpoint.
 */
final class ModelVersionPublisher implements TrainingRun.Listener {
  private final GeneratorPeer generator;
  private final List<String> labelNames;

  ModelVersionPublisher(GeneratorPeer generator, List<String> labelNames) {
    this.generator = generator;
    this.labelNames = labelNames;
  }

  @Override
  public void onStep(StepReport report, long maxSteps, int batchSize) {}

  @Override
  public void onCheckpoint(long step, Path file, String version) {
    generator.publishModel(version, labelNames);
  }

  @Override
  public void onRewind(long step, Path file, String version) {
    generator.publishModel(version, labelNames);
  }
}
