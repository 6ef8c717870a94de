package io.gancluster.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gan} command: the whole cluster in one JVM, or one service per process. */
@Command(name = "gan", mixinStandardHelpOptions = true, version = "gan-cluster 0.1.0",
    description = {
        "Trains GANs as a cluster of gRPC microservices (generator, discriminator, trainer, gateway)",
        "and serves the trained generator.", ""},
    subcommands = {DemoCommand.class, TrainCommand.class, ServeGeneratorCommand.class,
        ServeDiscriminatorCommand.class, ServeTrainerCommand.class, ServeGatewayCommand.class,
        PresetsCommand.class, SampleCommand.class, BenchCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "Examples:",
        "  ./gan demo                                  whole cluster on loopback, bundled MNIST, ~8 min",
        "  ./gan serve-discriminator --port 9092 &",
        "  ./gan serve-generator --port 9091 &",
        "  ./gan train --generator 127.0.0.1:9091 --discriminator 127.0.0.1:9092 --run-dir runs/r1",
        "  ./gan serve-gateway --generator 127.0.0.1:9091 --trainer 127.0.0.1:9093",
        "  ./gan bench                                 ms per D and G step, split vs in-process"})
public final class Gan implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    Nd4jSetup.quietLogs();
    int code = commandLine().execute(args);
    if (code != 0 || !Boolean.getBoolean("gan.keepAlive")) {
      System.exit(code);
    }
  }

  static CommandLine commandLine() {
    return new CommandLine(new Gan()).setExecutionExceptionHandler(new ErrorReporter());
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
