package io.gancluster.launcher;

import io.gancluster.core.model.recipe.Preset;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.runtime.networkservice.NetworkServiceOptions;
import io.gancluster.discriminator.DiscriminatorVerticle;
import io.gancluster.generator.GeneratorVerticle;
import io.gancluster.trainer.run.RunConfig;
import io.gancluster.trainer.run.TrainingRun;
import io.gancluster.trainer.service.TrainerOptions;
import io.gancluster.trainer.service.TrainerVerticle;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * trainer-service as its own process, training at once. Against running generator/discriminator
 * services when given their addresses; otherwise it starts both in this JVM (still talking gRPC on
 * loopback), so one command trains any preset.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = {"Train a preset now (trainer-service, plus G and D services unless given).", "",
        "Generator- and discriminator-service start in this JVM (gRPC on loopback) unless --generator /",
        "--discriminator point at running ones.", "",
        "Exits when the run ends (steps or time budget). Ctrl-C stops after the current step with a",
        "checkpoint; the same command resumes from the run folder's newest checkpoint.", "",
        "Examples:",
        "  gan train --preset wgan-gp-transposed --data fashion --max-minutes 60",
        "  gan train --preset dcgan-upsample --loss hinge --n-critic 2 --data /data/mnist",
        "  gan train --preset lsgan --generator g-host:9091 --discriminator d-host:9092"})
class TrainCommand implements Callable<Integer> {
  /** The top-level command: this process's security settings. */
  @picocli.CommandLine.ParentCommand
  Gan gan;

  private static final Logger LOG = LoggerFactory.getLogger("gan");

  @Mixin
  RunOptions run;

  @Mixin
  EvalOptions eval = new EvalOptions();

  @Option(names = "--generator", paramLabel = "HOST:PORT",
      description = "A running generator-service. Default: train starts one in this JVM; serve-trainer uses 127.0.0.1:9091.")
  String generator;

  @Option(names = "--discriminator", paramLabel = "HOST:PORT",
      description = "A running discriminator-service. Default: as for --generator, port 9092.")
  String discriminator;

  @Option(names = "--port", defaultValue = "9093", description = "trainer-service control gRPC port. Default: ${DEFAULT-VALUE}")
  int port;

  @Option(names = "--health-port", defaultValue = "-1", paramLabel = "PORT",
      description = "Plaintext port answering only the gRPC health check (grpc.health.v1), for probes that cannot "
          + "speak TLS (Kubernetes' gRPC probes) when --tls-cert is set; -1: none. Default: ${DEFAULT-VALUE}")
  int healthPort;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind. Default: ${DEFAULT-VALUE}")
  String host;

  @Mixin
  ClusterArgs cluster = new ClusterArgs();

  @Option(names = "--on-non-finite", defaultValue = "STOP",
      description = "When a loss or gradient is NaN/Inf (the services never apply such an update): STOP the run, "
          + "or SKIP the step and go on (the run still stops after 20 such steps in a row). Default: ${DEFAULT-VALUE}")
  io.gancluster.trainer.run.TrainingRun.NonFinitePolicy onNonFinite;

  @Option(names = "--serve-after-run",
      description = "When the run ends, keep the trainer up (status, progress, its checkpoints for serving "
          + "replicas) until stopped, instead of exiting. For a Kubernetes StatefulSet, which would restart it.")
  boolean serveAfterRun;

  boolean autoStart() {
    return true;
  }

  @Override
  public Integer call() {
    RunConfig config = run.toConfig(); // validates preset and options before anything starts
    var evaluation = eval.settings(1);
    // train starts whichever network service it was not pointed at; serve-trainer expects both running
    boolean embedG = autoStart() && generator == null;
    boolean embedD = autoStart() && discriminator == null;
    HostPort g = embedG ? null
        : HostPort.parse(generator != null ? generator : "127.0.0.1:" + NetworkServiceOptions.GENERATOR_PORT);
    HostPort d = embedD ? null
        : HostPort.parse(discriminator != null ? discriminator : "127.0.0.1:" + NetworkServiceOptions.DISCRIMINATOR_PORT);
    Vertx vertx = Deployments.vertx(cluster.options()); // in a cluster, checkpoints are announced to serving replicas
    Preset p = config.resolvedPreset();
    if (embedD) {
      d = new HostPort("127.0.0.1", Deployments.deploy(vertx, new DiscriminatorVerticle(
          NetworkServiceOptions.forDiscriminator(p, config.seed()).setHost("127.0.0.1").setPort(0)
              .setSecurity(Gan.securityOf(gan)))).actualPort());
      LOG.info("started discriminator-service on {} in this JVM", d);
    }
    if (embedG) {
      g = new HostPort("127.0.0.1", Deployments.deploy(vertx, new GeneratorVerticle(
          NetworkServiceOptions.forGenerator(p, config.seed()).setHost("127.0.0.1").setPort(0)
              .setSecurity(Gan.securityOf(gan)))).actualPort());
      LOG.info("started generator-service on {} in this JVM", g);
    }
    TrainerVerticle trainer = Deployments.deploy(vertx, new TrainerVerticle(new TrainerOptions().setHost(host)
        .setPort(port).setHealthPort(healthPort).setGenerator(g).setDiscriminator(d).setRun(config).setAutoStart(autoStart())
        .setEvaluation(evaluation).setNonFinite(onNonFinite).setSecurity(Gan.securityOf(gan))));
    TrainerProcess.stopCleanlyOnShutdown(trainer.controller(), vertx::close);
    TerminalProgress bar = new TerminalProgress("training");
    if (TerminalProgress.interactive()) {
      trainer.controller().addListener(bar);
    }
    if (!autoStart()) {
      Deployments.serveForever();
      return 0;
    }
    TrainingRun.Outcome outcome = TrainerProcess.awaitEnd(trainer.controller());
    bar.close();
    LOG.info("training {}: {}", outcome.reason().name().toLowerCase(java.util.Locale.ROOT), outcome.message());
    LOG.info("run folder {}: checkpoints/ losses.csv samples/", config.runDir().toAbsolutePath());
    if (serveAfterRun && !TrainerProcess.shuttingDown()) { // a signal ended the run: the process exits
      LOG.info("--serve-after-run: trainer-service stays up on port {} (checkpoints for serving replicas)", port);
      Deployments.serveForever();
    }
    return outcome.reason() == TrainingRun.Outcome.Reason.FAILED ? 1 : 0;
  }
}
