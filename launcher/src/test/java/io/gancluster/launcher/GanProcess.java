package io.gancluster.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A named {@code gan} child JVM for the multi-process tests (see {@link GanProcessLauncher}). */
final class GanProcess implements AutoCloseable {
  /** Small and quick to start: seven of these share two cores in the multi-process test. */
  private static final List<String> JVM_FLAGS = List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
      "-Xss512k");

  final String name;
  final Process process;
  final Path log;
  private final GanProcessLauncher launcher;

  private GanProcess(String name, GanProcessLauncher launcher) {
    this.name = name;
    this.launcher = launcher;
    this.process = launcher.process();
    this.log = launcher.log();
  }

  static GanProcess start(String name, Path logDir, List<String> args) {
    return start(name, logDir, args, Map.of());
  }

  static GanProcess start(String name, Path logDir, List<String> args, Map<String, String> env) {
    return new GanProcess(name, GanProcessLauncher.start(new ArrayList<>(JVM_FLAGS), args, logDir.resolve(name + ".log"),
        env));
  }

  /** SIGKILL: the process dies mid-request, as on a node failure. */
  void kill() {
    launcher.kill();
  }

  String tail(int lines) {
    return launcher.tail(lines);
  }

  static int freePort() {
    return GanProcessLauncher.freePort();
  }

  @Override
  public void close() {
    launcher.kill();
  }
}
