package io.gancluster.core.compute;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.nd4j.linalg.api.environment.Nd4jEnvironment;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where this JVM's networks compute: the ND4J backend ({@code cpu} or {@code cuda}) and the device,
 * read once from ND4J's own environment report. Services log it at start, put it in
 * {@code NetworkInfo.compute} (gan-runtime's {@code ComputeReports}) and export it as labels of
 * {@code gan_compute_info}.
 *
 * @param backend {@code cpu} or {@code cuda} (lower case, as a metric label)
 * @param device the GPU's name (CUDA) or the CPU model
 * @param memoryBytes the GPU's total memory (CUDA) or the host's physical memory (CPU)
 * @param detail the rest worth a log line: compute capability, cores, BLAS vendor, native build
 * @param capability the GPU's compute capability (CUDA); null on the CPU or when ND4J did not report it
 */
public record ComputeDevice(String backend, String device, long memoryBytes, String detail,
    ComputeCapability capability) {
  public static final String CPU = "cpu";
  public static final String CUDA = "cuda";

  /** A device without a known compute capability (a CPU, or a peer's report from the wire). */
  public ComputeDevice(String backend, String device, long memoryBytes, String detail) {
    this(backend, device, memoryBytes, detail, null);
  }

  private static volatile ComputeDevice current;

  /**
   * This JVM's device, detected on first use (it loads ND4J's native backend).
   *
   * @throws IllegalStateException naming the missing library when no ND4J backend loads (typically the
   *     -Pcuda build on a machine without an NVIDIA driver)
   */
  public static ComputeDevice current() {
    ComputeDevice c = current;
    if (c == null) {
      synchronized (ComputeDevice.class) {
        if (current == null) {
          current = detect();
        }
        c = current;
      }
    }
    return c;
  }

  private static ComputeDevice detect() {
    try {
      return fromEnvironment(Nd4j.getExecutioner().getEnvironmentInformation(),
          Nd4j.getAffinityManager().getDeviceForCurrentThread(), cpuModel(), nativeBuild());
    } catch (ExceptionInInitializerError | NoClassDefFoundError | RuntimeException e) {
      // ND4J logs each backend's link failure (the library it missed) as a WARN, then throws a generic error
      throw new IllegalStateException("ND4J could not load its " + backendPackaged() + " backend (the WARN line "
          + "above names the missing library). The -Pcuda build needs an NVIDIA GPU and its driver (libcuda.so.1); "
          + "build without -Pcuda for the CPU backend (docs/cuda.md)", e);
    }
  }

  /** The backend module on the classpath, by its class, without loading it. */
  private static String backendPackaged() {
    try {
      Class.forName("org.nd4j.linalg.jcublas.JCublasBackend", false, ComputeDevice.class.getClassLoader());
      return "CUDA";
    } catch (ClassNotFoundException e) {
      return "CPU";
    }
  }

  /**
   * Reads ND4J's environment report ({@link Nd4jEnvironment}'s keys). {@code deviceIndex} is the CUDA
   * device this thread uses; {@code cpuModel} names the CPU, since ND4J's CPU report does not.
   */
  public static ComputeDevice fromEnvironment(Properties env, int deviceIndex, String cpuModel, String nativeBuild) {
    String backend = String.valueOf(env.getOrDefault(Nd4jEnvironment.BACKEND_KEY, CPU)).toLowerCase(Locale.ROOT);
    String build = nativeBuild == null || nativeBuild.isBlank() ? "" : ", native build " + nativeBuild;
    if (backend.contains(CUDA)) {
      Map<?, ?> gpu = gpu(env.get(Nd4jEnvironment.CUDA_DEVICE_INFORMATION_KEY), deviceIndex);
      String name = field(gpu, Nd4jEnvironment.CUDA_DEVICE_NAME_KEY, "unknown GPU");
      long memory = asLong(gpu.get(Nd4jEnvironment.CUDA_TOTAL_MEMORY_KEY));
      String detail = "device " + deviceIndex + " of " + env.getOrDefault(Nd4jEnvironment.CUDA_NUM_GPUS_KEY, "?")
          + ", compute capability " + field(gpu, Nd4jEnvironment.CUDA_DEVICE_MAJOR_VERSION_KEY, "?") + "."
          + field(gpu, Nd4jEnvironment.CUDA_DEVICE_MINOR_VERSION_KEY, "?") + build;
      return new ComputeDevice(CUDA, name, memory, detail, capability(gpu));
    }
    String detail = env.getOrDefault(Nd4jEnvironment.CPU_CORES_KEY, "?") + " cores, BLAS "
        + env.getOrDefault(Nd4jEnvironment.BLAS_VENDOR_KEY, "?") + build;
    return new ComputeDevice(CPU, cpuModel, hostMemory(), detail);
  }

  /** One log line: {@code cuda: NVIDIA H100 80GB HBM3, 79.1 GiB (device 0 of 1, compute capability 9.0)}. */
  public String describe() {
    return String.format(Locale.ROOT, "%s: %s, %.1f GiB (%s)", backend, device, memoryBytes / (double) (1L << 30),
        detail);
  }

  /** Physical memory of the host (ND4J's CPU report gives the JVM's heap limit instead). */
  private static long hostMemory() {
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return Runtime.getRuntime().maxMemory();
  }

  private static Map<?, ?> gpu(Object devices, int index) {
    if (devices instanceof List<?> list && index >= 0 && index < list.size() && list.get(index) instanceof Map<?, ?> m) {
      return m;
    }
    return Map.of();
  }

  private static ComputeCapability capability(Map<?, ?> gpu) {
    try { // unknown rather than a made-up 0.0 when a field is missing or odd
      int major = Integer.parseInt(field(gpu, Nd4jEnvironment.CUDA_DEVICE_MAJOR_VERSION_KEY, "").trim());
      return new ComputeCapability(major, Integer.parseInt(
          field(gpu, Nd4jEnvironment.CUDA_DEVICE_MINOR_VERSION_KEY, "").trim()));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String field(Map<?, ?> m, String key, String fallback) {
    Object v = m.get(key);
    return v == null ? fallback : v.toString();
  }

  private static long asLong(Object v) {
    if (v instanceof Number n) {
      return n.longValue();
    }
    try {
      return v == null ? 0 : Long.parseLong(v.toString().trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The CPU's model name from /proc/cpuinfo (Linux), else the JVM's architecture. */
  static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or not readable: fall through
    }
    return System.getProperty("os.arch", "unknown CPU");
  }

  /** Which classifier's native library JavaCPP loaded (e.g. linux-x86_64-onednn-avx2), or "". */
  static String nativeBuild() {
    Map<String, String> loaded = org.bytedeco.javacpp.Loader.getLoadedLibraries();
    String path = loaded.getOrDefault("nd4jcpu", loaded.get("nd4jcuda"));
    if (path == null) {
      return "";
    }
    // JavaCPP extracts a library under a folder named for the classifier it came from
    Path parent = Path.of(path).getParent();
    return parent == null || parent.getFileName() == null ? "" : parent.getFileName().toString();
  }
}
