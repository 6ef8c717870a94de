package io.gancluster.runtime.networkservice;

import io.gancluster.core.compute.ComputeDevice;
import io.gancluster.runtime.security.Security;
import io.gancluster.core.model.recipe.ModelSpec;
import io.gancluster.core.model.recipe.Preset;

/** Configuration of a service that owns one network (generator-service, discriminator-service). */
public final class NetworkServiceOptions {
  public static final int GENERATOR_PORT = 9091;
  public static final int DISCRIMINATOR_PORT = 9092;
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** Largest batch a training call may carry. */
  public static final int DEFAULT_MAX_BATCH = 1024;
  /** Largest number of images one Sample call may ask for. */
  public static final int DEFAULT_MAX_SAMPLES = 256;

  private Security security = Security.NONE;
  private String host = DEFAULT_HOST;
  private int port;
  private int maxBatch = DEFAULT_MAX_BATCH;
  private int maxSamples = DEFAULT_MAX_SAMPLES;
  private Preset preset;
  private long seed;
  /** Port of the service's own /metrics endpoint; negative: none (embedded services use the gateway's). */
  private int metricsPort = -1;
  private int healthPort = -1;
  private java.util.function.Supplier<ComputeDevice> computeDevice = ComputeDevice::current;

  /** @param preset the run's preset with its overrides applied: model, objective, optimiser settings */
  public static NetworkServiceOptions forGenerator(Preset preset, long seed) {
    return new NetworkServiceOptions().setPort(GENERATOR_PORT).setPreset(preset).setSeed(seed);
  }

  public static NetworkServiceOptions forDiscriminator(Preset preset, long seed) {
    return new NetworkServiceOptions().setPort(DISCRIMINATOR_PORT).setPreset(preset).setSeed(seed);
  }

  public String getHost() {
    return host;
  }

  public NetworkServiceOptions setHost(String host) {
    this.host = host;
    return this;
  }

  public int getPort() {
    return port;
  }

  public NetworkServiceOptions setPort(int port) {
    this.port = port;
    return this;
  }

  public int getMaxBatch() {
    return maxBatch;
  }

  public NetworkServiceOptions setMaxBatch(int maxBatch) {
    this.maxBatch = maxBatch;
    return this;
  }

  public int getMaxSamples() {
    return maxSamples;
  }

  public NetworkServiceOptions setMaxSamples(int maxSamples) {
    this.maxSamples = maxSamples;
    return this;
  }

  public Preset getPreset() {
    return preset;
  }

  public NetworkServiceOptions setPreset(Preset preset) {
    this.preset = preset;
    return this;
  }

  public ModelSpec getModel() {
    return preset.model();
  }

  public int getMetricsPort() {
    return metricsPort;
  }

  public NetworkServiceOptions setMetricsPort(int metricsPort) {
    this.metricsPort = metricsPort;
    return this;
  }

  public int getHealthPort() {
    return healthPort;
  }

  /** Plaintext port answering only the gRPC health check (for probes that cannot speak TLS); 0: any free one; -1: none. */
  public NetworkServiceOptions setHealthPort(int healthPort) {
    this.healthPort = healthPort;
    return this;
  }

  public long getSeed() {
    return seed;
  }

  public NetworkServiceOptions setSeed(long seed) {
    this.seed = seed;
    return this;
  }

  public java.util.function.Supplier<ComputeDevice> getComputeDevice() {
    return computeDevice;
  }

  /** Where the network computes (default: this JVM's ND4J device); tests hand in a fake report. */
  public NetworkServiceOptions setComputeDevice(java.util.function.Supplier<ComputeDevice> computeDevice) {
    this.computeDevice = java.util.Objects.requireNonNull(computeDevice);
    return this;
  }

  public Security getSecurity() {
    return security;
  }

  /** TLS and bearer tokens for this service's server and for the calls it makes (default: none). */
  public NetworkServiceOptions setSecurity(Security security) {
    this.security = java.util.Objects.requireNonNull(security);
    return this;
  }
}
