package io.gancluster.launcher;

import picocli.CommandLine.Command;

/** trainer-service waiting for a Start call on its control API. */
@Command(name = "serve-trainer", mixinStandardHelpOptions = true,
    description = {"Run trainer-service with its control API (gan.v1.TrainerService: Start, Stop, Status,",
        "WatchProgress) and wait for a Start call instead of training at once."})
final class ServeTrainerCommand extends TrainCommand {
  @Override
  boolean autoStart() {
    return false;
  }
}
