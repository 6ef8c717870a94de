package io.gancluster.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code gan bench-serving --tls} end to end on the tiny preset: a plain and a TLS replica (each its own
 * JVM) behind gateways, both measured, side by side, without a failed request.
 */
class BenchServingTlsIT {
  @Test
  void measuresPlainAndTlsSideBySideWithoutErrors() {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      code = Gan.commandLine().execute("bench-serving", "--tls", "--preset", "tiny", "--clients", "2",
          "--seconds", "1", "--batching", "on", "--count", "4");
    } finally {
      System.setOut(original);
    }
    String out = captured.toString(StandardCharsets.UTF_8);
    System.out.println(out);
    assertThat(code).isZero();
    List<String> lines = Arrays.asList(out.split("\n"));
    List<String[]> rows = lines.stream().filter(l -> l.startsWith("plain ") || l.startsWith("tls+tokens "))
        .map(l -> l.trim().split("\\s+")).toList();
    assertThat(rows).extracting(r -> r[0]).containsExactly("plain", "tls+tokens");
    for (String[] r : rows) {
      assertThat(Long.parseLong(r[8])).as("requests answered, " + r[0]).isPositive();
      assertThat(r[10]).as("errors, " + r[0]).isEqualTo("0");
    }
    int comparison = lines.indexOf("TLS + tokens beside plain:");
    assertThat(comparison).isPositive();
    String[] ratioRow = lines.get(comparison + 2).trim().split("\\s+");
    assertThat(ratioRow[0]).isEqualTo("on");
    assertThat(Double.parseDouble(ratioRow[4])).as("TLS/plain").isPositive();
  }
}
