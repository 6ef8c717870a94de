package io.gancluster.gateway;

import io.gancluster.runtime.security.Security;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.runtime.networkservice.NetworkServiceOptions;
import java.util.Objects;

/** Configuration of the gateway: where it listens, which generator serves samples, which trainer it watches. */
public final class GatewayOptions {
  public static final int DEFAULT_HTTP_PORT = 8080;
  public static final int DEFAULT_GRPC_PORT = 9090;
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** trainer-service's usual port, for launchers that wire a trainer in (the gateway itself has no default trainer). */
  public static final int DEFAULT_TRAINER_PORT = 9093;

  private Security security = Security.NONE;
  private String host = DEFAULT_HOST;
  private int httpPort = DEFAULT_HTTP_PORT;
  private int grpcPort = DEFAULT_GRPC_PORT;
  private int healthPort = -1;
  private java.util.List<HostPort> generators = java.util.List.of(new HostPort(DEFAULT_HOST, NetworkServiceOptions.GENERATOR_PORT));
  private HostPort trainer;
  private int maxSamples = NetworkServiceOptions.DEFAULT_MAX_SAMPLES;

  public String getHost() {
    return host;
  }

  public GatewayOptions setHost(String host) {
    this.host = Objects.requireNonNull(host, "host");
    return this;
  }

  public int getHttpPort() {
    return httpPort;
  }

  /** 0 binds any free port (see {@link GatewayVerticle#actualHttpPort()}). */
  public GatewayOptions setHttpPort(int httpPort) {
    this.httpPort = checkPort(httpPort, "httpPort");
    return this;
  }

  public int getGrpcPort() {
    return grpcPort;
  }

  /** 0 binds any free port (see {@link GatewayVerticle#actualGrpcPort()}). */
  public GatewayOptions setGrpcPort(int grpcPort) {
    this.grpcPort = checkPort(grpcPort, "grpcPort");
    return this;
  }

  public int getHealthPort() {
    return healthPort;
  }

  /** Plaintext port answering only the gRPC health check (for probes that cannot speak TLS); 0: any free one; -1: none. */
  public GatewayOptions setHealthPort(int healthPort) {
    this.healthPort = healthPort;
    return this;
  }

  /** The generator replicas given by configuration; more are discovered through the cluster's heartbeats. */
  public java.util.List<HostPort> getGenerators() {
    return generators;
  }

  /** May be empty when every replica is discovered through the cluster. */
  public GatewayOptions setGenerators(java.util.List<HostPort> generators) {
    this.generators = java.util.List.copyOf(generators);
    return this;
  }

  public GatewayOptions setGenerator(HostPort generator) {
    return setGenerators(java.util.List.of(Objects.requireNonNull(generator, "generator")));
  }

  /** The trainer whose progress feeds the metrics, or null when there is none to watch. */
  public HostPort getTrainer() {
    return trainer;
  }

  public GatewayOptions setTrainer(HostPort trainer) {
    this.trainer = trainer;
    return this;
  }

  public int getMaxSamples() {
    return maxSamples;
  }

  /** Largest count one sampling request may ask for (the generator enforces its own limit too). */
  public GatewayOptions setMaxSamples(int maxSamples) {
    if (maxSamples < 1) {
      throw new IllegalArgumentException("maxSamples must be at least 1, got " + maxSamples);
    }
    this.maxSamples = maxSamples;
    return this;
  }

  private static int checkPort(int port, String what) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(what + " must be between 0 and 65535, got " + port);
    }
    return port;
  }

  public Security getSecurity() {
    return security;
  }

  /** TLS and bearer tokens for this service's server and for the calls it makes (default: none). */
  public GatewayOptions setSecurity(Security security) {
    this.security = java.util.Objects.requireNonNull(security);
    return this;
  }
}
