package io.gancluster.launcher;

import io.gancluster.client.RpcClient;
import io.gancluster.runtime.rpc.Blocking;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.gateway.PeerHealth;
import io.gancluster.proto.v1.GeneratorServiceGrpcService;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code gan} command in a child JVM with this JVM's classpath, its output in a log file: for the
 * serving benchmark, and for the tests that kill real processes.
 */
final class GanProcessLauncher implements AutoCloseable {
  /** What the gan script adds so Hazelcast (the cluster manager) may use JDK internals. */
  static final List<String> HAZELCAST_OPENS = List.of("--add-modules", "java.se",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

  private final Process process;
  private final Path log;

  private GanProcessLauncher(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static GanProcessLauncher start(List<String> args, Path log) {
    return start(List.of("-Xmx1g"), args, log, java.util.Map.of());
  }

  /** @param env extra environment variables (tokens, keystore passwords: never on a command line) */
  static GanProcessLauncher start(List<String> jvmFlags, List<String> args, Path log, java.util.Map<String, String> env) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(jvmFlags);
    cmd.addAll(HAZELCAST_OPENS);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Gan.class.getName()));
    cmd.addAll(args);
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().putAll(env);
      return new GanProcessLauncher(pb.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Process process() {
    return process;
  }

  Path log() {
    return log;
  }

  /** The last {@code lines} of the process's output. */
  String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** SIGKILL and wait: the process dies mid-request, as on a node failure. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits until the process's generator-service reports SERVING over gRPC health. */
  void awaitServing(Vertx vertx, RpcClient client, HostPort address, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the replica exited; see " + log);
      }
      try {
        Blocking.await(PeerHealth.check(client, address, GeneratorServiceGrpcService.SERVICE_NAME), Duration.ofSeconds(5));
        return;
      } catch (RuntimeException notYet) {
        Thread.sleep(300);
      }
    }
    throw new IllegalStateException("the replica did not serve within " + timeout + "; see " + log);
  }

  /** Resident set size of the process now, from /proc (NaN where there is none). */
  double rssMiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D+", "")) / 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux, or the process is gone
    }
    return Double.NaN;
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
