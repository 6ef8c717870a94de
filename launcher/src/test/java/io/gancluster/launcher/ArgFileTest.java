package io.gancluster.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** A run described by a file: {@code gan @FILE}, through the real command line. */
class ArgFileTest {
  /** The tests run in the launcher module's folder. */
  static final Path EXAMPLE = Path.of("..", "examples", "demo.args");

  @Test
  void theExampleFileIsTheDemoWithTheSameValuesAsItsDefaults() {
    DemoCommand fromFile = demo(parse("@" + EXAMPLE));
    DemoCommand plain = demo(parse("demo"));

    assertThat(fromFile.preset).isEqualTo("cgan-projection-aux").isEqualTo(plain.preset);
    assertThat(fromFile.data).isEqualTo("mnist").isEqualTo(plain.data);
    assertThat(fromFile.seed).isEqualTo(42).isEqualTo(plain.seed);
    assertThat(fromFile.runDir).isEqualTo(Path.of("runs", "demo")).isEqualTo(plain.runDir);
    assertThat(fromFile.maxMinutes).isEqualTo(10).isEqualTo(plain.maxMinutes);
    assertThat(fromFile.eval.samples).isEqualTo(1000).isEqualTo(plain.eval.samples);
    assertThat(fromFile.httpPort).isEqualTo(8080).isEqualTo(plain.httpPort);
    assertThat(fromFile.basePort).isEqualTo(9090).isEqualTo(plain.basePort);
    assertThat(fromFile.exitWhenTrained).isFalse();
  }

  @Test
  void optionsAfterTheFileReplaceOrAddToItsValues() {
    DemoCommand varied = demo(parse("@" + EXAMPLE, "--max-minutes", "2", "--exit-when-trained"));

    assertThat(varied.maxMinutes).isEqualTo(2);
    assertThat(varied.exitWhenTrained).isTrue();
    assertThat(varied.preset).isEqualTo("cgan-projection-aux");
  }

  @Test
  void everyCommandReadsItsArgumentsFromAFile(@TempDir Path tmp) throws Exception {
    List<String> commands = List.copyOf(Gan.commandLine().getSubcommands().keySet());
    assertThat(commands).contains("demo", "train", "serve-gateway", "runs", "sample", "eval");
    for (String name : commands) {
      Path file = Files.writeString(tmp.resolve(name + ".args"), "# asks " + name + " for its help\n" + name
          + "\n--help\n");
      StringWriter out = new StringWriter();
      CommandLine cmd = Gan.commandLine();
      cmd.setOut(new PrintWriter(out, true));

      assertThat(cmd.execute("@" + file)).as(name).isZero();
      assertThat(out.toString()).as(name).contains("Usage: gan " + name + " ");
    }
  }

  @Test
  void aQuotedValueWithSpacesReachesTheCommandThatRuns(@TempDir Path tmp) throws Exception {
    Path runs = Files.createDirectories(tmp.resolve("my runs"));
    Path file = Files.writeString(tmp.resolve("runs.args"), "runs --root \"" + runs + "\"\n");
    StringWriter out = new StringWriter();
    CommandLine cmd = Gan.commandLine();
    cmd.setOut(new PrintWriter(out, true));

    assertThat(cmd.execute("@" + file)).isZero();
    assertThat(out.toString()).isEqualTo("no run folders under " + runs + "\n");
  }

  private static ParseResult parse(String... args) {
    return Gan.commandLine().parseArgs(args);
  }

  private static DemoCommand demo(ParseResult parsed) {
    assertThat(parsed.subcommand()).isNotNull();
    return (DemoCommand) parsed.subcommand().commandSpec().userObject();
  }
}
