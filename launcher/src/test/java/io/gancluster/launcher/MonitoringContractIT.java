package io.gancluster.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard in k8s/monitoring queries only series the running services export: every
 * metric name in its PromQL is found in a scrape of the gateway or of a network service's own /metrics,
 * after a run that trained, evaluated and served a sample. And docs/metrics.md names every family.
 */
class MonitoringContractIT {
  static final Path DASHBOARD = Path.of("..", "k8s", "monitoring", "grafana-dashboard.json");
  static final Path METRICS_DOC = Path.of("..", "docs", "metrics.md");
  static final Pattern METRIC = Pattern.compile("\\b((?:gan|jvm)_[a-z_]+)");

  @TempDir
  static Path tmp;
  static TinyCluster cluster;
  static String exported;

  @BeforeAll
  static void runAndScrape() throws Exception {
    cluster = new TinyCluster(tmp);
    TinyCluster.get(cluster.httpPort(), "/api/v1/samples.png?count=4&seed=1"); // one sampling request
    TinyCluster.get(cluster.httpPort(), "/api/v1/samples.png?count=0");        // and one refused
    exported = TinyCluster.get(cluster.httpPort(), "/metrics")
        + TinyCluster.get(cluster.generator.metricsPort(), "/metrics");
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void everyMetricTheDashboardQueriesIsExported() throws Exception {
    Set<String> queried = dashboardMetrics();
    assertThat(queried).contains("gan_loss", "gan_wasserstein_estimate", "gan_gradient_penalty",
        "gan_eval_frechet_distance", "gan_training_steps_total", "gan_sampling_request_seconds_bucket");
    for (String metric : queried) {
      assertThat(exported).as("the dashboard queries %s", metric).containsPattern("(?m)^" + metric + "[{ ]");
    }
  }

  @Test
  void everyExportedGanFamilyIsDocumented() throws Exception {
    String doc = Files.readString(METRICS_DOC);
    Matcher m = Pattern.compile("(?m)^# TYPE (gan_[a-z_]+) ").matcher(exported);
    Set<String> families = new TreeSet<>();
    while (m.find()) {
      families.add(m.group(1));
    }
    assertThat(families).hasSizeGreaterThan(15);
    for (String family : families) {
      assertThat(doc).as("docs/metrics.md documents %s", family).contains("`" + family);
    }
  }

  private static Set<String> dashboardMetrics() throws Exception {
    JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD));
    Set<String> names = new TreeSet<>();
    for (Object p : dashboard.getJsonArray("panels")) {
      JsonArray targets = ((JsonObject) p).getJsonArray("targets", new JsonArray());
      for (Object t : targets) {
        Matcher m = METRIC.matcher(((JsonObject) t).getString("expr"));
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    return names;
  }
}
