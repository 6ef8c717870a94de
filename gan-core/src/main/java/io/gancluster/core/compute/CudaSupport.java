package io.gancluster.core.compute;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Which GPUs a CUDA build of ND4J can run on, from the GPU code its {@code libnd4jcuda.so} carries. A GPU
 * runs a kernel if the library has machine code (SASS, {@code sm_XY}) of the GPU's major version and a
 * minor version no later than the GPU's (sm_86 runs on 8.6 and 8.9, never on 9.0), or PTX
 * ({@code compute_XY}) for the GPU's capability or an earlier one, which the driver compiles at load.
 *
 * @param sass the {@code sm_XY} targets with machine code, as numbers (86)
 * @param ptx the {@code compute_XY} targets with PTX (none in ND4J's own builds)
 * @param source where the lists come from, for messages
 */
public record CudaSupport(List<Integer> sass, List<Integer> ptx, String source) {
  /** The ND4J version {@link #ND4J_M2_1} describes; a test fails if the build moves to another. */
  public static final String DECLARED_ND4J_VERSION = "1.0.0-M2.1";

  /**
   * nd4j-cuda-11.6 1.0.0-M2.1's libnd4jcuda.so (classifiers linux-x86_64 and linux-x86_64-cudnn), as
   * tools/fatbin-archs.py lists it (docs/cuda.md): nine SASS targets, no PTX. Used where the loaded
   * library cannot be read, and by the k8s test that checks the gpu overlay's node affinity against it.
   */
  public static final CudaSupport ND4J_M2_1 =
      new CudaSupport(List.of(37, 50, 52, 60, 61, 70, 75, 80, 86), List.of(), "ND4J " + DECLARED_ND4J_VERSION);

  private static volatile CudaSupport loaded;

  public CudaSupport {
    sass = List.copyOf(sass);
    ptx = List.copyOf(ptx);
    if (sass.isEmpty() && ptx.isEmpty()) {
      throw new IllegalArgumentException("no GPU targets in " + source);
    }
  }

  /**
   * The targets of the libnd4jcuda.so this JVM loaded, read from its fatbins once; {@link #ND4J_M2_1}
   * when no CUDA backend is loaded or the library cannot be read.
   */
  public static CudaSupport ofLoadedBuild() {
    CudaSupport s = loaded;
    if (s == null) {
      // only a library actually read is kept: asked before ND4J loaded, a later call still reads it
      String lib = org.bytedeco.javacpp.Loader.getLoadedLibraries().get("nd4jcuda");
      s = lib == null ? null : FatbinTargets.read(Path.of(lib)).orElse(null);
      loaded = s;
    }
    return s == null ? ND4J_M2_1 : s;
  }

  /** Whether a GPU of capability {@code c} finds code for it here. */
  public boolean runs(ComputeCapability c) {
    return sass.stream().map(ComputeCapability::ofSm).anyMatch(t -> t.major() == c.major() && t.minor() <= c.minor())
        || ptx.stream().anyMatch(p -> p <= c.sm());
  }

  /** Whether {@code device} can compute with this build; the CPU backend always can. */
  public Verdict check(ComputeDevice device) {
    if (!ComputeDevice.CUDA.equals(device.backend())) {
      return new Verdict(Outcome.RUNS, device.backend() + " backend: no GPU code involved");
    }
    ComputeCapability c = device.capability();
    if (c == null) {
      // ND4J's CUDA report always has it; should one lack it, a wrong refusal would block a working GPU
      return new Verdict(Outcome.UNCHECKED, device.device() + ": ND4J reported no compute capability, so it was not "
          + "checked against this ND4J CUDA build (compute capability " + range() + "); starting anyway");
    }
    if (runs(c)) {
      return new Verdict(Outcome.RUNS, device.device() + " (compute capability " + c + ") is within " + range());
    }
    return new Verdict(Outcome.REFUSED, device.device() + " (compute capability " + c + ") is not supported by this "
        + "ND4J CUDA build: it has GPU code for compute capability " + range() + " only (" + targets()
        + "); see docs/cuda.md");
  }

  /** E.g. {@code 3.7 to 8.x}: from the oldest target to the newest major's every minor (any later one with PTX). */
  public String range() {
    int oldest = java.util.stream.Stream.concat(sass.stream(), ptx.stream()).mapToInt(Integer::intValue).min()
        .orElseThrow();
    if (!ptx.isEmpty()) {
      return ComputeCapability.ofSm(oldest) + " and newer";
    }
    int newestMajor = sass.stream().mapToInt(s -> s / 10).max().orElseThrow();
    return ComputeCapability.ofSm(oldest) + " to " + newestMajor + ".x";
  }

  /**
   * For each major version with code, the lowest minor it runs from ({@code 3 -> 7, 8 -> 0}); what a
   * node affinity on a GPU's major and minor labels has to express. Only for builds without PTX.
   */
  public Map<Integer, Integer> lowestMinorByMajor() {
    return sass.stream().map(ComputeCapability::ofSm).collect(Collectors.toMap(ComputeCapability::major,
        ComputeCapability::minor, Math::min, java.util.TreeMap::new));
  }

  private String targets() {
    String s = sass.stream().map(t -> "sm_" + t).collect(Collectors.joining(" ", "SASS ", ""));
    String p = ptx.stream().map(t -> "compute_" + t).collect(Collectors.joining(" ", "PTX ", ""));
    return (sass.isEmpty() ? "no SASS" : s) + ", " + (ptx.isEmpty() ? "no PTX" : p);
  }

  public enum Outcome { RUNS, REFUSED, UNCHECKED }

  /** @param message a line saying why, naming the device */
  public record Verdict(Outcome outcome, String message) {}
}
