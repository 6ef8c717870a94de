package io.gancluster.launcher;

import picocli.CommandLine.Command;

/** trainer-service waiting for a Start call on its control API. */
@Command(name = "serve-trainer", mixinStandardHelpOptions = true,
    description = {"Run trainer-service and wait for a Start call on its control API.", "",
        "gan.v1.TrainerService: Start, Stop, Status, WatchProgress (server stream)."})
final class ServeTrainerCommand extends TrainCommand {
  @Override
  boolean autoStart() {
    return false;
  }
}
