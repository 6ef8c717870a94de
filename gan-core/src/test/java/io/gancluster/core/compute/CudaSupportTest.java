package io.gancluster.core.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class CudaSupportTest {
  private static final CudaSupport M2_1 = CudaSupport.ND4J_M2_1;

  static ComputeDevice gpu(String name, int major, int minor) {
    return new ComputeDevice(ComputeDevice.CUDA, name, 80L << 30, "device 0 of 1, compute capability " + major + "."
        + minor, new ComputeCapability(major, minor));
  }

  @Test
  void anH100IsRefusedInOneLineNamingTheGpuItsCapabilityAndTheSupportedRange() {
    CudaSupport.Verdict v = M2_1.check(gpu("NVIDIA H100 80GB HBM3", 9, 0));

    assertThat(v.outcome()).isEqualTo(CudaSupport.Outcome.REFUSED);
    assertThat(v.message()).isEqualTo("NVIDIA H100 80GB HBM3 (compute capability 9.0) is not supported by this ND4J "
        + "CUDA build: it has GPU code for compute capability 3.7 to 8.x only (SASS sm_37 sm_50 sm_52 sm_60 sm_61 sm_70 "
        + "sm_75 sm_80 sm_86, no PTX); see docs/cuda.md");
    assertThat(v.message()).doesNotContain("\n");
  }

  @Test
  void hopperAndBlackwellAreRefused() {
    assertThat(M2_1.check(gpu("NVIDIA H200", 9, 0)).outcome()).isEqualTo(CudaSupport.Outcome.REFUSED);
    assertThat(M2_1.check(gpu("NVIDIA B200", 10, 0)).outcome()).isEqualTo(CudaSupport.Outcome.REFUSED);
  }

  @Test
  void anA100AndAnL4AreAcceptedSinceCodeForAMinorVersionRunsOnLaterMinorsOfTheSameMajor() {
    assertThat(M2_1.check(gpu("NVIDIA A100-SXM4-40GB", 8, 0)).outcome()).isEqualTo(CudaSupport.Outcome.RUNS);
    assertThat(M2_1.check(gpu("NVIDIA L4", 8, 9)).outcome()).isEqualTo(CudaSupport.Outcome.RUNS); // sm_86 code
    assertThat(M2_1.check(gpu("NVIDIA A10", 8, 6)).outcome()).isEqualTo(CudaSupport.Outcome.RUNS);
  }

  @Test
  void theOldestKeplerSupportedIsTheK80() {
    assertThat(M2_1.runs(new ComputeCapability(3, 7))).isTrue();
    assertThat(M2_1.runs(new ComputeCapability(3, 5))).as("K40: sm_37 code does not run on 3.5").isFalse();
    assertThat(M2_1.runs(new ComputeCapability(5, 3))).as("sm_52 code runs on 5.3").isTrue();
  }

  @Test
  void theCpuBackendIsAlwaysAccepted() {
    ComputeDevice cpu = new ComputeDevice(ComputeDevice.CPU, "Intel(R) Xeon(R)", 1L << 30, "2 cores");
    assertThat(M2_1.check(cpu).outcome()).isEqualTo(CudaSupport.Outcome.RUNS);
    assertThat(ComputeGate.admit(cpu, M2_1)).isSameAs(cpu);
  }

  @Test
  void aGpuWithoutAReportedCapabilityStartsWithAWarningRatherThanBeingRefusedOnAGuess() {
    ComputeDevice unknown = new ComputeDevice(ComputeDevice.CUDA, "unknown GPU", 0, "compute capability ?.?");

    CudaSupport.Verdict v = M2_1.check(unknown);

    assertThat(v.outcome()).isEqualTo(CudaSupport.Outcome.UNCHECKED);
    assertThat(v.message()).contains("unknown GPU", "not checked", "3.7 to 8.x", "starting anyway");
    assertThat(ComputeGate.admit(unknown, M2_1)).isSameAs(unknown);
  }

  @Test
  void theGateThrowsTheRefusalLineForAnUnsupportedGpu() {
    assertThatThrownBy(() -> ComputeGate.admit(gpu("NVIDIA H100 PCIe", 9, 0), M2_1))
        .isInstanceOf(UnsupportedGpuException.class)
        .hasMessageStartingWith("NVIDIA H100 PCIe (compute capability 9.0) is not supported");
  }

  @Test
  void aBuildWithPtxRunsOnNewerMajorsToo() {
    CudaSupport withPtx = new CudaSupport(List.of(80, 86), List.of(86), "rebuilt");
    assertThat(withPtx.runs(new ComputeCapability(9, 0))).isTrue();
    assertThat(withPtx.runs(new ComputeCapability(7, 5))).isFalse();
    assertThat(withPtx.range()).isEqualTo("8.0 and newer");
  }

  @Test
  void theRangeForANodeAffinityIsTheLowestMinorOfEachMajor() {
    assertThat(M2_1.range()).isEqualTo("3.7 to 8.x");
    assertThat(M2_1.lowestMinorByMajor()).containsExactly(Map.entry(3, 7), Map.entry(5, 0), Map.entry(6, 0),
        Map.entry(7, 0), Map.entry(8, 0));
  }

  @Test
  void withoutACudaLibraryLoadedTheDeclaredTargetsApply() {
    org.junit.jupiter.api.Assumptions.assumeFalse(
        System.getProperty("gan.nd4j.backend", "nd4j-native").contains("cuda"), "the CUDA build reads its library");
    assertThat(CudaSupport.ofLoadedBuild()).isSameAs(CudaSupport.ND4J_M2_1);
  }

  @Test
  void onTheCudaBuildTheLoadedLibraryIsReadAndCarriesTheDeclaredTargets() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        System.getProperty("gan.nd4j.backend", "nd4j-native").contains("cuda"), "CPU build: no libnd4jcuda.so");
    ComputeDevice.current(); // loads the backend and its library
    CudaSupport loaded = CudaSupport.ofLoadedBuild();
    assertThat(loaded.source()).isEqualTo("libnd4jcuda.so");
    assertThat(loaded.sass()).isEqualTo(CudaSupport.ND4J_M2_1.sass());
    assertThat(loaded.ptx()).isEqualTo(CudaSupport.ND4J_M2_1.ptx());
  }

  @Test
  void theDeclaredTargetsAreForTheNd4jVersionThisBuildUses() throws IOException {
    // the targets were read from that version's libnd4jcuda.so; another version needs tools/fatbin-archs.py again
    Properties pom = new Properties();
    try (InputStream in = org.nd4j.linalg.factory.Nd4j.class.getResourceAsStream(
        "/META-INF/maven/org.nd4j/nd4j-api/pom.properties")) {
      assertThat(in).as("nd4j-api's pom.properties").isNotNull();
      pom.load(in);
    }
    assertThat(pom.getProperty("version")).isEqualTo(CudaSupport.DECLARED_ND4J_VERSION);
  }
}
