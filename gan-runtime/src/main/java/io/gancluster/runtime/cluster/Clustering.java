package io.gancluster.runtime.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a clustered Vert.x with Hazelcast as cluster manager. Why Hazelcast: it is the Vert.x
 * stack's default cluster manager, needs no separate server, and discovers members both by a TCP list
 * (loopback, tests) and through Kubernetes DNS, which is all this system needs (docs/serving.md).
 */
public final class Clustering {
  private static final Logger LOG = LoggerFactory.getLogger(Clustering.class);

  private Clustering() {}

  /** A clustered Vert.x when {@code cluster} is enabled, else a plain one. */
  public static Future<Vertx> vertx(VertxOptions options, ClusterOptions cluster) {
    if (!cluster.enabled()) {
      return Future.succeededFuture(Vertx.vertx(options));
    }
    HazelcastClusterManager manager = new HazelcastClusterManager(hazelcastConfig(cluster));
    options.getEventBusOptions().setPort(cluster.getBusPort());
    long started = System.nanoTime();
    return Vertx.builder().with(options).withClusterManager(manager).buildClustered()
        .onSuccess(v -> LOG.info("joined the Vert.x cluster '{}' ({}) as node {} in {} ms: {} member(s)",
            cluster.getClusterName(), cluster, manager.getNodeId(), (System.nanoTime() - started) / 1_000_000,
            manager.getNodes().size()));
  }

  /** The Vert.x defaults (its cluster.xml) with discovery set from {@code cluster}. */
  static Config hazelcastConfig(ClusterOptions cluster) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(cluster.getClusterName());
    // quiet and fast on small clusters: no phone-home, no fixed 5 s wait before joining
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.max.wait.seconds.before.join", "1");
    config.setProperty("hazelcast.shutdownhook.enabled", "false"); // Vert.x leaves the cluster on close
    config.getNetworkConfig().setPort(cluster.getPort()).setPortAutoIncrement(true)
        .setPortCount(ClusterOptions.PORT_RANGE);
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (cluster.getKubernetesService() != null) {
      join.getKubernetesConfig().setEnabled(true).setProperty("service-dns", cluster.getKubernetesService());
    } else {
      List<String> members = cluster.getMembers().stream().flatMap(m -> withPorts(m, cluster.getPort()).stream())
          .toList();
      join.getTcpIpConfig().setEnabled(true).setMembers(members);
      if (cluster.getMembers().stream().allMatch(Clustering::isLoopback)) {
        // bind and advertise loopback only, so the event bus never picks another interface
        config.getNetworkConfig().getInterfaces().setEnabled(true).setInterfaces(List.of("127.0.0.1"));
        config.setProperty("hazelcast.local.localAddress", "127.0.0.1");
      }
    }
    return config;
  }

  /** A host without a port stands for every port a member on it may have bound (Hazelcast probes only 3 itself). */
  private static List<String> withPorts(String member, int port) {
    if (member.contains(":")) {
      return List.of(member);
    }
    return java.util.stream.IntStream.range(port, port + ClusterOptions.PORT_RANGE).mapToObj(p -> member + ":" + p)
        .toList();
  }

  private static boolean isLoopback(String member) {
    String host = member.contains(":") ? member.substring(0, member.lastIndexOf(':')) : member;
    return host.equals("127.0.0.1") || host.equals("localhost");
  }
}
