package io.gancluster.launcher;

import io.gancluster.runtime.cluster.ClusterOptions;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options that put a process into the Vert.x cluster (control events: checkpoints published, replica heartbeats). */
final class ClusterArgs {
  @Option(names = "--cluster-members", split = ",", paramLabel = "HOST[:PORT]",
      description = {"Join the Vert.x cluster (Hazelcast) with these members, e.g. 127.0.0.1 for processes on "
          + "this machine. Trainer, serving replicas and gateway must share one cluster for hot reload and discovery."})
  List<String> members = new ArrayList<>();

  @Option(names = "--cluster-kubernetes-service", paramLabel = "DNS",
      description = "Join the cluster by Kubernetes DNS discovery: a headless Service selecting the member pods, "
          + "e.g. gan-hazelcast.gan-cluster.svc.cluster.local.")
  String kubernetesService;

  @Option(names = "--cluster-port", defaultValue = "5701",
      description = "First Hazelcast port to bind (the next free one is taken). Default: ${DEFAULT-VALUE}")
  int port;

  @Option(names = "--cluster-bus-port", defaultValue = "0",
      description = "TCP port of the clustered event bus; 0: any free port. Fix it where a NetworkPolicy must "
          + "name it (Kubernetes). Default: ${DEFAULT-VALUE}")
  int busPort;

  @Option(names = "--cluster-name", defaultValue = ClusterOptions.CLUSTER_NAME,
      description = "Only members with the same name join each other. Default: ${DEFAULT-VALUE}")
  String name;

  ClusterOptions options() {
    return new ClusterOptions().setMembers(members).setKubernetesService(kubernetesService).setPort(port)
        .setClusterName(name).setBusPort(busPort);
  }
}
