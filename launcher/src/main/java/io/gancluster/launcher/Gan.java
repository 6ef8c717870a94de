package io.gancluster.launcher;

import io.gancluster.core.compute.ComputeDevice;
import io.gancluster.runtime.security.Security;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gan} command: the whole cluster in one JVM, or one service per process. */
@Command(name = "gan", mixinStandardHelpOptions = true, version = "gan-cluster 0.1.0",
    description = {
        "Trains GANs as a cluster of gRPC microservices (generator, discriminator, trainer, gateway)",
        "and serves the trained generator.", ""},
    subcommands = {DemoCommand.class, TrainCommand.class, ServeGeneratorCommand.class,
        ServeDiscriminatorCommand.class, ServeTrainerCommand.class, ServeReplicaCommand.class, ServeGatewayCommand.class,
        PresetsCommand.class, RunsCommand.class, SampleCommand.class, EvalCommand.class, BenchCommand.class, BenchServingCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "Examples:",
        "  ./gan demo                                  whole cluster on loopback, bundled MNIST, 10 min",
        "  ./gan serve-discriminator --port 9092 &",
        "  ./gan serve-generator --port 9091 &",
        "  ./gan train --generator 127.0.0.1:9091 --discriminator 127.0.0.1:9092 --run-dir runs/r1",
        "  ./gan serve-gateway --generator 127.0.0.1:9091 --trainer 127.0.0.1:9093",
        "  ./gan serve-replica --trainer 127.0.0.1:9093 --port 9101 --cluster-members 127.0.0.1   serving replica",
        "  ./gan eval --checkpoint runs/demo           FD, classifier score, label accuracy, precision/recall",
        "  ./gan runs                                  the run folders under runs/: step, status, last evaluation",
        "  ./gan bench                                 ms per D and G step, split vs in-process",
        "  ./gan bench-serving                         serving images/s and latency, batching on/off"})
public final class Gan implements Runnable {
  /** Commands whose output is meant to be read or piped: no backend line on top. */
  private static final Set<String> QUIET_COMMANDS = Set.of("presets", "sample");

  /** Commands that only read files and compute nothing: they need no ND4J backend, nor a GPU it can use. */
  private static final Set<String> NO_BACKEND_COMMANDS = Set.of("runs");

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin
  SecurityArgs securityArgs = new SecurityArgs();

  /** Read from the options before any command runs; every service and client the command makes gets it. */
  private Security security = Security.NONE;

  /** Where this process computes, checked before any command runs; tests hand in a fake report. */
  private Supplier<ComputeDevice> device = ComputeDevice::current;

  public static void main(String[] args) {
    Nd4jSetup.quietLogs();
    int code = commandLine().execute(args);
    if (code != 0 || !Boolean.getBoolean("gan.keepAlive")) {
      System.exit(code);
    }
  }

  static CommandLine commandLine() {
    return commandLine(ComputeDevice::current);
  }

  /** The command line, with {@code device} as the report of where this process computes. */
  static CommandLine commandLine(Supplier<ComputeDevice> device) {
    Gan gan = new Gan();
    gan.device = device;
    CommandLine cmd = new CommandLine(gan).setExecutionExceptionHandler(new ErrorReporter())
        .setCaseInsensitiveEnumValuesAllowed(true)
        // @FILE reads arguments from a file (picocli's default, kept on); an option given again after it
        // replaces the file's value, so a run described by a file can be varied on the command line
        .setExpandAtFiles(true).setOverwrittenOptionsAllowed(true);
    return cmd.setExecutionStrategy(Gan::loadBackendThenRun);
  }

  /**
   * Every command but help and runs needs ND4J: load it first, so a missing backend, or a GPU the build cannot
   * run on, is one clear line (exit code 2) before anything starts.
   */
  private static int loadBackendThenRun(CommandLine.ParseResult parsed) {
    List<CommandLine> chain = parsed.asCommandLineList();
    CommandLine last = chain.get(chain.size() - 1);
    boolean help = last.isUsageHelpRequested() || last.isVersionHelpRequested() || chain.size() == 1
        || last.getCommandName().equals("help");
    if (!help) {
      try {
        Gan gan = (Gan) chain.get(0).getCommand();
        Security installed = gan.securityArgs.toSecurity();
        gan.security = installed;
        if (installed != Security.NONE && (installed.controlTokenRequired() || installed.samplingTokenRequired()
            || installed.tls() != null)) {
          org.slf4j.LoggerFactory.getLogger("gan").info("security: {}", installed);
        }
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ExecutionException(last, e.getMessage(), e);
      }
      if (NO_BACKEND_COMMANDS.contains(last.getCommandName())) {
        return new CommandLine.RunLast().execute(parsed);
      }
      try {
        Nd4jSetup.describeBackend(((Gan) chain.get(0).getCommand()).device,
            !QUIET_COMMANDS.contains(last.getCommandName()));
      } catch (IllegalStateException e) {
        throw new CommandLine.ExecutionException(last, e.getMessage(), e);
      }
    }
    return new CommandLine.RunLast().execute(parsed);
  }

  /** This process's TLS and tokens, for the services it starts and the calls it makes. */
  Security security() {
    return security;
  }

  /** The security settings of {@code gan}, the parent command (none when a command runs without one). */
  static Security securityOf(Gan gan) {
    return gan == null ? Security.NONE : gan.security();
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
