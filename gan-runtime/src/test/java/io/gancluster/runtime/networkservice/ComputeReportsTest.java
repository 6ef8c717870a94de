package io.gancluster.runtime.networkservice;

import static org.assertj.core.api.Assertions.assertThat;

import io.gancluster.core.compute.ComputeDevice;
import io.gancluster.proto.v1.Compute;
import io.gancluster.runtime.metrics.ServiceMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class ComputeReportsTest {

  @Test
  void thePeerReportRoundTripsThroughTheProto() {
    ComputeDevice d = new ComputeDevice("cuda", "NVIDIA H200", 141L << 30, "device 0 of 1");
    assertThat(ComputeReports.describe(ComputeReports.toProto(d))).isEqualTo(d.describe());
    assertThat(ComputeReports.describe(Compute.getDefaultInstance())).isEqualTo("unknown");
  }

  @Test
  void theComputeInfoMetricCarriesBackendAndDeviceAsLabels() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ServiceMetrics.registerCompute(registry, "generator", new ComputeDevice("cuda", "NVIDIA H100", 80L << 30, ""));
    String scrape = registry.scrape();
    assertThat(scrape).contains("gan_compute_info{backend=\"cuda\",device=\"NVIDIA H100\",service=\"generator\"} 1");
    assertThat(scrape).contains("gan_compute_memory_bytes{backend=\"cuda\",service=\"generator\"} 8.589934592E10");
  }
}
