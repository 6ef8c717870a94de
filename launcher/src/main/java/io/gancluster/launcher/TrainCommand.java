package io.gancluster.launcher;

import io.gancluster.core.rpc.HostPort;
import io.gancluster.trainer.run.TrainingRun;
import io.gancluster.trainer.service.TrainerOptions;
import io.gancluster.trainer.service.TrainerVerticle;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** trainer-service as its own process, training at once against running G and D services. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = {"Run trainer-service and train now against running generator/discriminator services.", "",
        "Exits when the run ends (steps or time budget). Ctrl-C stops after the current step with a",
        "checkpoint; the same command resumes from the run folder's newest checkpoint."})
class TrainCommand implements Callable<Integer> {
  @Mixin
  RunOptions run;

  @Option(names = "--generator", defaultValue = "127.0.0.1:9091", description = "generator-service HOST:PORT. Default: ${DEFAULT-VALUE}")
  String generator;

  @Option(names = "--discriminator", defaultValue = "127.0.0.1:9092",
      description = "discriminator-service HOST:PORT. Default: ${DEFAULT-VALUE}")
  String discriminator;

  @Option(names = "--port", defaultValue = "9093", description = "trainer-service control gRPC port. Default: ${DEFAULT-VALUE}")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind. Default: ${DEFAULT-VALUE}")
  String host;

  boolean autoStart() {
    return true;
  }

  @Override
  public Integer call() {
    Vertx vertx = Deployments.vertx();
    TrainerVerticle trainer = Deployments.deploy(vertx, new TrainerVerticle(options().setAutoStart(autoStart())));
    TrainerProcess.stopCleanlyOnShutdown(trainer.controller(), vertx::close);
    if (!autoStart()) {
      Deployments.serveForever();
      return 0;
    }
    TrainingRun.Outcome outcome = TrainerProcess.awaitEnd(trainer.controller());
    return outcome.reason() == TrainingRun.Outcome.Reason.FAILED ? 1 : 0;
  }

  TrainerOptions options() {
    return new TrainerOptions().setHost(host).setPort(port).setGenerator(HostPort.parse(generator))
        .setDiscriminator(HostPort.parse(discriminator)).setRun(run.toConfig());
  }
}
