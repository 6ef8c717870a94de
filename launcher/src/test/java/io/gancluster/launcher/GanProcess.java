package io.gancluster.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One {@code gan} command in its own JVM (the test's classpath), its output in a log file. */
final class GanProcess implements AutoCloseable {
  /** What the gan script adds for Hazelcast. */
  private static final List<String> HAZELCAST_OPENS = List.of("--add-modules", "java.se",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

  final String name;
  final Process process;
  final Path log;

  private GanProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  static GanProcess start(String name, Path logDir, List<String> args) {
    return start(name, logDir, args, java.util.Map.of());
  }

  /** With extra environment variables (tokens, keystore passwords: never on a command line). */
  static GanProcess start(String name, Path logDir, List<String> args, java.util.Map<String, String> env) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // small and quick to start: seven of these share two cores in the multi-process test
    cmd.addAll(List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k"));
    cmd.addAll(HAZELCAST_OPENS);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.gancluster.launcher.Gan"));
    cmd.addAll(args);
    try {
      Files.createDirectories(logDir);
      Path log = logDir.resolve(name + ".log");
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().putAll(env);
      Process p = pb.start();
      return new GanProcess(name, p, log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGKILL: the process dies mid-request, as on a node failure. */
  void kill() {
    process.destroyForcibly();
  }

  /** SIGTERM: the process runs its shutdown hooks (a serving replica drains). */
  void terminate() {
    process.destroy();
  }

  String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
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
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
