package io.gancluster.runtime.security;

import java.util.Map;

/**
 * What a caller needs to call a gRPC method. CONTROL: anything that changes state or hands out weights
 * (start/stop training, training steps, import/export/publish of state, checkpoint streaming); SAMPLING:
 * asking for images and model info, and server reflection (which services and messages a server has: no
 * state, but a map of what could be called, so it is not handed to anonymous callers where sampling is
 * protected); OPEN: health checks and read-only training status.
 */
public enum Access {
  CONTROL, SAMPLING, OPEN;

  /** gRPC server reflection, served by every gRPC server of the cluster. */
  public static final String REFLECTION_V1 = "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo";

  /** Method paths ("/package.Service/Method") with their access; unknown methods need CONTROL. */
  private static final Map<String, Access> METHODS = Map.ofEntries(
      Map.entry("/grpc.health.v1.Health/Check", OPEN),
      Map.entry("/grpc.health.v1.Health/Watch", OPEN),
      Map.entry("/gan.v1.TrainerService/Status", OPEN),
      Map.entry("/gan.v1.TrainerService/WatchProgress", OPEN),
      Map.entry("/gan.v1.SamplingService/Sample", SAMPLING),
      Map.entry("/gan.v1.SamplingService/ListLabels", SAMPLING),
      Map.entry("/gan.v1.GeneratorService/Sample", SAMPLING),
      Map.entry("/gan.v1.GeneratorService/GetModelInfo", SAMPLING),
      Map.entry("/gan.v1.GeneratorService/Describe", SAMPLING),
      Map.entry("/gan.v1.DiscriminatorService/Describe", SAMPLING),
      Map.entry(REFLECTION_V1, SAMPLING));

  /** The access {@code path} needs: listed methods as above, every other one CONTROL (fail closed). */
  public static Access of(String path) {
    return METHODS.getOrDefault(path, CONTROL);
  }
}
