package io.gancluster.generator.serving;

import io.gancluster.core.compute.ComputeDevice;
import io.gancluster.runtime.security.Security;
import io.gancluster.runtime.networkservice.NetworkServiceOptions;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/** Configuration of generator-service in serving mode: where it listens and how it batches and drains. */
public final class ServingOptions {
  public static final int DEFAULT_DRAIN_SECONDS = 20;
  /** How long a draining replica still answers before refusing, while peers learn it is leaving. */
  public static final long DEFAULT_DRAIN_GRACE_MS = 1_500;

  private Security security = Security.NONE;
  private String host = NetworkServiceOptions.DEFAULT_HOST;
  private String advertiseHost;
  private int port = NetworkServiceOptions.GENERATOR_PORT;
  private int metricsPort = -1;
  private int healthPort = -1;
  private int maxSamples = NetworkServiceOptions.DEFAULT_MAX_SAMPLES;
  private SampleBatcher.Settings batching = SampleBatcher.Settings.defaults();
  private int drainSeconds = DEFAULT_DRAIN_SECONDS;
  private long drainGraceMs = DEFAULT_DRAIN_GRACE_MS;
  private long pollMs = ModelReloader.DEFAULT_POLL_MS;
  private long heartbeatMs = 1_000;
  private Supplier<ComputeDevice> computeDevice = ComputeDevice::current;
  private String replicaId = "replica-" + UUID.randomUUID().toString().substring(0, 8);

  public String getHost() {
    return host;
  }

  public ServingOptions setHost(String host) {
    this.host = Objects.requireNonNull(host);
    return this;
  }

  /** The address other services use to reach this replica; default: the bind address, or this host's IP for a wildcard. */
  public String getAdvertiseHost() {
    if (advertiseHost != null) {
      return advertiseHost;
    }
    if (!"0.0.0.0".equals(host) && !"::".equals(host)) {
      return host;
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostAddress();
    } catch (java.net.UnknownHostException e) {
      return host;
    }
  }

  public ServingOptions setAdvertiseHost(String advertiseHost) {
    this.advertiseHost = advertiseHost;
    return this;
  }

  public int getPort() {
    return port;
  }

  public ServingOptions setPort(int port) {
    this.port = port;
    return this;
  }

  public int getMetricsPort() {
    return metricsPort;
  }

  public ServingOptions setMetricsPort(int metricsPort) {
    this.metricsPort = metricsPort;
    return this;
  }

  public int getHealthPort() {
    return healthPort;
  }

  /** Plaintext port answering only the gRPC health check (for probes that cannot speak TLS); 0: any free one; -1: none. */
  public ServingOptions setHealthPort(int healthPort) {
    this.healthPort = healthPort;
    return this;
  }

  public int getMaxSamples() {
    return maxSamples;
  }

  public ServingOptions setMaxSamples(int maxSamples) {
    this.maxSamples = maxSamples;
    return this;
  }

  public SampleBatcher.Settings getBatching() {
    return batching;
  }

  public ServingOptions setBatching(SampleBatcher.Settings batching) {
    if (batching.maxQueueImages() < maxSamples) {
      throw new IllegalArgumentException("the queue (" + batching.maxQueueImages()
          + " images) must hold at least one largest request (" + maxSamples + ")");
    }
    this.batching = batching;
    return this;
  }

  public int getDrainSeconds() {
    return drainSeconds;
  }

  public ServingOptions setDrainSeconds(int drainSeconds) {
    this.drainSeconds = drainSeconds;
    return this;
  }

  public long getDrainGraceMs() {
    return drainGraceMs;
  }

  public ServingOptions setDrainGraceMs(long drainGraceMs) {
    this.drainGraceMs = drainGraceMs;
    return this;
  }

  public long getPollMs() {
    return pollMs;
  }

  /** Fallback poll of the checkpoint source, for events missed (the event is the fast path). */
  public ServingOptions setPollMs(long pollMs) {
    this.pollMs = pollMs;
    return this;
  }

  public long getHeartbeatMs() {
    return heartbeatMs;
  }

  public ServingOptions setHeartbeatMs(long heartbeatMs) {
    this.heartbeatMs = heartbeatMs;
    return this;
  }

  public String getReplicaId() {
    return replicaId;
  }

  public ServingOptions setReplicaId(String replicaId) {
    this.replicaId = replicaId;
    return this;
  }

  public Supplier<ComputeDevice> getComputeDevice() {
    return computeDevice;
  }

  /** Where the model computes (default: this JVM's ND4J device); tests hand in a fake report. */
  public ServingOptions setComputeDevice(Supplier<ComputeDevice> computeDevice) {
    this.computeDevice = Objects.requireNonNull(computeDevice);
    return this;
  }

  public Security getSecurity() {
    return security;
  }

  /** TLS and bearer tokens for this service's server and for the calls it makes (default: none). */
  public ServingOptions setSecurity(Security security) {
    this.security = java.util.Objects.requireNonNull(security);
    return this;
  }
}
