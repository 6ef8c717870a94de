package io.gancluster.core.compute;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.environment.Nd4jEnvironment;

class ComputeDeviceTest {

  @Test
  void theBackendThisBuildPackagedIsTheOneThatRuns() {
    // surefire passes the root pom's nd4j.backend: nd4j-native by default, nd4j-cuda-11.6 under -Pcuda
    String packaged = System.getProperty("gan.nd4j.backend", "nd4j-native");
    ComputeDevice d = ComputeDevice.current();
    assertThat(d.backend()).isEqualTo(packaged.contains("cuda") ? ComputeDevice.CUDA : ComputeDevice.CPU);
    assertThat(d.device()).isNotBlank();
    assertThat(d.memoryBytes()).isPositive();
    if (d.backend().equals(ComputeDevice.CPU)) {
      // the default CPU build is the oneDNN one (docs/benchmarks.md): a silent swap would show here
      assertThat(d.detail()).contains("onednn");
      assertThat(d.capability()).isNull();
    }
    assertThat(d.describe()).startsWith(d.backend() + ": ");
  }

  @Test
  void aCudaReportNamesTheGpuThisThreadUses() {
    // the shape of ND4J's CUDA environment report (CudaExecutioner.getEnvironmentInformation)
    Properties env = new Properties();
    env.put(Nd4jEnvironment.BACKEND_KEY, "CUDA");
    env.put(Nd4jEnvironment.CUDA_NUM_GPUS_KEY, 2);
    env.put(Nd4jEnvironment.CUDA_DEVICE_INFORMATION_KEY, List.of(
        Map.of(Nd4jEnvironment.CUDA_DEVICE_NAME_KEY, "NVIDIA A100", Nd4jEnvironment.CUDA_TOTAL_MEMORY_KEY, 40L << 30,
            Nd4jEnvironment.CUDA_DEVICE_MAJOR_VERSION_KEY, 8, Nd4jEnvironment.CUDA_DEVICE_MINOR_VERSION_KEY, 0),
        Map.of(Nd4jEnvironment.CUDA_DEVICE_NAME_KEY, "NVIDIA H100 80GB HBM3", Nd4jEnvironment.CUDA_TOTAL_MEMORY_KEY,
            80L << 30, Nd4jEnvironment.CUDA_DEVICE_MAJOR_VERSION_KEY, 9, Nd4jEnvironment.CUDA_DEVICE_MINOR_VERSION_KEY,
            0)));

    ComputeDevice d = ComputeDevice.fromEnvironment(env, 1, "ignored CPU", "linux-x86_64-cudnn");

    assertThat(d.backend()).isEqualTo(ComputeDevice.CUDA);
    assertThat(d.device()).isEqualTo("NVIDIA H100 80GB HBM3");
    assertThat(d.memoryBytes()).isEqualTo(80L << 30);
    assertThat(d.capability()).isEqualTo(new ComputeCapability(9, 0));
    assertThat(d.describe()).isEqualTo(
        "cuda: NVIDIA H100 80GB HBM3, 80.0 GiB (device 1 of 2, compute capability 9.0, native build linux-x86_64-cudnn)");
  }

  @Test
  void aReportWithoutDeviceDetailsStillDescribesTheBackend() {
    Properties env = new Properties();
    env.put(Nd4jEnvironment.BACKEND_KEY, "CUDA");
    ComputeDevice d = ComputeDevice.fromEnvironment(env, 0, "cpu", null);
    assertThat(d.device()).isEqualTo("unknown GPU");
    assertThat(d.memoryBytes()).isZero();
    assertThat(d.capability()).as("unknown, not a made-up 0.0").isNull();
  }
}
