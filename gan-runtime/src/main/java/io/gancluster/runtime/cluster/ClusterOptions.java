package io.gancluster.runtime.cluster;

import java.util.List;

/**
 * How a process joins the Vert.x cluster that carries control events (checkpoint published, replica
 * heartbeats). Off by default: one JVM needs no cluster, its event bus is local.
 *
 * <p>Two ways to find the other members: a TCP member list (loopback or fixed hosts), or Kubernetes
 * DNS discovery through a headless Service (Hazelcast resolves its A records to the member pods).
 */
public final class ClusterOptions {
  public static final int DEFAULT_PORT = 5701;
  /** Members on one host each take the next free port from {@link #DEFAULT_PORT}: this many are probed. */
  public static final int PORT_RANGE = 20;
  public static final String CLUSTER_NAME = "gan-cluster";

  private List<String> members = List.of();
  private String kubernetesService;
  private int port = DEFAULT_PORT;
  private String clusterName = CLUSTER_NAME;
  private int busPort;

  public boolean enabled() {
    return !members.isEmpty() || kubernetesService != null;
  }

  public List<String> getMembers() {
    return members;
  }

  /** Hosts (or HOST:PORT) of other members; "127.0.0.1" clusters processes on this machine. */
  public ClusterOptions setMembers(List<String> members) {
    this.members = List.copyOf(members);
    return this;
  }

  public String getKubernetesService() {
    return kubernetesService;
  }

  /** DNS name of a headless Service selecting the member pods, e.g. gan-hazelcast.ns.svc.cluster.local. */
  public ClusterOptions setKubernetesService(String kubernetesService) {
    this.kubernetesService = kubernetesService == null || kubernetesService.isBlank() ? null : kubernetesService;
    return this;
  }

  public int getPort() {
    return port;
  }

  public ClusterOptions setPort(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("cluster port must be between 1 and 65535, got " + port);
    }
    this.port = port;
    return this;
  }

  public String getClusterName() {
    return clusterName;
  }

  /** Members only join a cluster of the same name (tests use their own, so parallel runs stay apart). */
  public ClusterOptions setClusterName(String clusterName) {
    this.clusterName = clusterName;
    return this;
  }

  public int getBusPort() {
    return busPort;
  }

  /**
   * TCP port of the clustered event bus (0: any free one). Fix it where a NetworkPolicy must name it
   * (Kubernetes, one member per pod); leave it 0 where several members share a host.
   */
  public ClusterOptions setBusPort(int busPort) {
    if (busPort < 0 || busPort > 65535) {
      throw new IllegalArgumentException("event bus port must be between 0 and 65535, got " + busPort);
    }
    this.busPort = busPort;
    return this;
  }

  /** Only members on this machine: TCP discovery on 127.0.0.1. */
  public static ClusterOptions loopback() {
    return new ClusterOptions().setMembers(List.of("127.0.0.1"));
  }

  @Override
  public String toString() {
    return kubernetesService != null ? "kubernetes dns " + kubernetesService : "members " + members;
  }
}
