package io.gancluster.launcher;

import io.gancluster.core.compute.ComputeDevice;
import io.gancluster.runtime.metrics.ServiceMetrics;
import io.gancluster.core.model.recipe.Preset;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.runtime.networkservice.NetworkServiceOptions;
import io.gancluster.discriminator.DiscriminatorVerticle;
import io.gancluster.gateway.GanMetrics;
import io.gancluster.gateway.GatewayOptions;
import io.gancluster.gateway.GatewayVerticle;
import io.gancluster.generator.GeneratorVerticle;
import io.gancluster.trainer.run.RunConfig;
import io.gancluster.trainer.run.TrainingRun;
import io.gancluster.trainer.service.TrainerOptions;
import io.gancluster.trainer.service.TrainerVerticle;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The whole cluster in one JVM: the same verticles as the separate processes, talking gRPC on loopback. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"The whole cluster in one JVM: train on bundled MNIST (<= 10 min), then serve samples.", "",
        "Starts discriminator-, generator-, trainer-service and the gateway as verticles talking gRPC on",
        "loopback, trains the conditional DCGAN cgan-projection-aux on the bundled MNIST digits, then keeps",
        "the gateway serving until Ctrl-C, from the checkpoint the in-run evaluation scored best. Ctrl-C during",
        "training stops after the current step with a checkpoint; running the demo again resumes."})
final class DemoCommand implements Callable<Integer> {
  /** The top-level command: this process's security settings. */
  @picocli.CommandLine.ParentCommand
  Gan gan;

  private static final Logger LOG = LoggerFactory.getLogger("gan");

  @Option(names = "--preset", defaultValue = "cgan-projection-aux",
      description = "Default: ${DEFAULT-VALUE} (a conditional DCGAN: one row of the sample grid per digit)")
  String preset;

  @Option(names = "--data", defaultValue = "mnist", description = "mnist | fashion | PATH. Default: ${DEFAULT-VALUE}")
  String data;

  @Option(names = "--seed", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}")
  long seed;

  @Option(names = "--run-dir", defaultValue = "runs/demo", description = "Default: ${DEFAULT-VALUE}")
  Path runDir;

  @Option(names = "--max-steps", defaultValue = "0", description = "0: the preset's")
  long maxSteps;

  @Option(names = "--max-minutes", defaultValue = "10", description = "Training time budget. Default: ${DEFAULT-VALUE}")
  double maxMinutes;

  @Option(names = "--base-port", defaultValue = "9090",
      description = "gateway gRPC = base, generator = base+1, discriminator = base+2, trainer = base+3. Default: ${DEFAULT-VALUE}")
  int basePort;

  @Option(names = "--http-port", defaultValue = "8080", description = "Gateway HTTP port. Default: ${DEFAULT-VALUE}")
  int httpPort;

  @Mixin
  RecipeOptions recipe = new RecipeOptions();

  @Mixin
  EvalOptions eval = new EvalOptions();

  @Option(names = "--exit-when-trained", description = "Exit after training instead of serving until Ctrl-C.")
  boolean exitWhenTrained;

  @Override
  public Integer call() {
    RunConfig run = new RunConfig(preset, data, seed, runDir, maxSteps, maxMinutes,
        TerminalProgress.interactive() ? 100 : 10, recipe.toOverrides());
    Preset p = run.resolvedPreset();
    String host = "127.0.0.1";
    Vertx vertx = Deployments.vertx();
    Deployments.deploy(vertx, new DiscriminatorVerticle(
        NetworkServiceOptions.forDiscriminator(p, seed).setHost(host).setPort(basePort + 2)
            .setSecurity(Gan.securityOf(gan))));
    Deployments.deploy(vertx, new GeneratorVerticle(
        NetworkServiceOptions.forGenerator(p, seed).setHost(host).setPort(basePort + 1)
            .setSecurity(Gan.securityOf(gan))));
    TrainerVerticle trainer = Deployments.deploy(vertx, new TrainerVerticle(new TrainerOptions().setHost(host)
        .setPort(basePort + 3).setGenerator(new HostPort(host, basePort + 1))
        .setDiscriminator(new HostPort(host, basePort + 2)).setRun(run).setEvaluation(eval.settings(1))
        .setSecurity(Gan.securityOf(gan))));
    GanMetrics metrics = new GanMetrics(ServiceMetrics.vertxRegistry(vertx)); // with Vert.x's own meters
    // every service shares this JVM, so the gateway's /metrics says where all of them compute
    ServiceMetrics.registerCompute(metrics.registry(), "generator", ComputeDevice.current());
    ServiceMetrics.registerCompute(metrics.registry(), "discriminator", ComputeDevice.current());
    GatewayVerticle gateway = Deployments.deploy(vertx, new GatewayVerticle(new GatewayOptions().setHost(host)
        .setHttpPort(httpPort).setGrpcPort(basePort).setGenerator(new HostPort(host, basePort + 1))
        .setTrainer(new HostPort(host, basePort + 3)).setSecurity(Gan.securityOf(gan)), metrics));
    TrainerProcess.stopCleanlyOnShutdown(trainer.controller(), vertx::close);
    TerminalProgress bar = new TerminalProgress("training");
    if (TerminalProgress.interactive()) {
      trainer.controller().addListener(bar);
    }
    LOG.info("cluster up: gateway grpc {}, generator {}, discriminator {}, trainer {} (all gRPC on loopback)",
        basePort, basePort + 1, basePort + 2, basePort + 3);

    TrainingRun.Outcome outcome = TrainerProcess.awaitEnd(trainer.controller());
    bar.close();
    Path root = runDir.toAbsolutePath();
    LOG.info("training {}: {}", outcome.reason().name().toLowerCase(), outcome.message());
    LOG.info("run folder {}: checkpoints/ (the newest; best.zip, the best evaluated) losses.csv samples/latest.png", root);
    if (outcome.reason() == TrainingRun.Outcome.Reason.FAILED) {
      return 1;
    }
    if (exitWhenTrained) {
      return 0;
    }
    try {
      LOG.info(trainer.controller().run().serveBest()); // the best evaluated checkpoint, not merely the last
    } catch (RuntimeException e) {
      LOG.warn("could not put the best checkpoint into the generator ({}); it keeps the latest weights",
          e.getMessage());
    }
    LOG.info("the gateway keeps serving the trained generator (Ctrl-C to stop):");
    gateway.urls().forEach(u -> LOG.info("  {}", u));
    Deployments.serveForever();
    return 0;
  }
}
