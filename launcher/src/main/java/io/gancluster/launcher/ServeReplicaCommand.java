package io.gancluster.launcher;

import io.gancluster.client.RpcClient;
import io.gancluster.core.checkpoint.CheckpointChoice;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.runtime.networkservice.NetworkServiceOptions;
import io.gancluster.generator.serving.FileCheckpointSource;
import io.gancluster.generator.serving.SampleBatcher;
import io.gancluster.generator.serving.ServingOptions;
import io.gancluster.generator.serving.ServingVerticle;
import io.gancluster.generator.serving.TrainerCheckpointSource;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** generator-service in serving mode, as its own process. */
@Command(name = "serve-replica", mixinStandardHelpOptions = true,
    description = {"Run generator-service in serving mode: samples from the newest checkpoint, hot-reloaded.", "",
        "No trainer drives it. It loads the newest checkpoint the trainer published, streams each new one",
        "over gRPC (SHA-256 checked) and swaps it in without a failed request, merges concurrent Sample calls into batched forward passes, and refuses work beyond its queue",
        "(RESOURCE_EXHAUSTED). Run several behind `gan serve-gateway`; they find each other through the cluster.",
        "On SIGTERM it drains: the gateway stops sending, queued requests finish, then it exits.", "",
        "Examples:",
        "  gan serve-replica --trainer 127.0.0.1:9093 --port 9101 --cluster-members 127.0.0.1",
        "  gan serve-replica --checkpoint runs/demo --port 9101        (its best checkpoint, no trainer)"})
final class ServeReplicaCommand implements Callable<Integer> {
  /** The top-level command: this process's security settings. */
  @picocli.CommandLine.ParentCommand
  Gan gan;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  static final class Source {
    @Option(names = "--trainer", paramLabel = "HOST:PORT",
        description = "trainer-service to follow: its newest checkpoint, and each new one it publishes.")
    String trainer;

    @Option(names = "--checkpoint", paramLabel = "PATH",
        description = "Serve a checkpoint file, or a run folder's best checkpoint (see --which), instead of "
            + "following a trainer.")
    Path checkpoint;
  }

  @Option(names = "--which", paramLabel = "best|latest", defaultValue = "best",
      description = "With --checkpoint RUN_FOLDER: its best checkpoint by the in-run evaluation (the newest when "
          + "there is none), or its latest; a new one is picked up as it is written. A replica following a trainer "
          + "serves each checkpoint it publishes. Default: ${DEFAULT-VALUE}")
  String which;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind. Default: ${DEFAULT-VALUE}")
  String host;

  @Option(names = "--advertise-host", description = "Address the gateway should use for this replica. "
      + "Default: the bind address, or this host's IP when binding 0.0.0.0.")
  String advertiseHost;

  @Option(names = "--port", defaultValue = "9091", description = "gRPC port. Default: ${DEFAULT-VALUE}")
  int port;

  @Option(names = "--metrics-port", defaultValue = "9191",
      description = "HTTP port of this replica's Prometheus /metrics (requests, queue, batches); -1: none. "
          + "Default: ${DEFAULT-VALUE}")
  int metricsPort;

  @Option(names = "--health-port", defaultValue = "-1", paramLabel = "PORT",
      description = "Plaintext port answering only the gRPC health check (grpc.health.v1), for probes that cannot "
          + "speak TLS (Kubernetes' gRPC probes) when --tls-cert is set; -1: none. Default: ${DEFAULT-VALUE}")
  int healthPort;

  @Option(names = "--max-samples", defaultValue = "" + NetworkServiceOptions.DEFAULT_MAX_SAMPLES,
      description = "Most images one request may ask for. Default: ${DEFAULT-VALUE}")
  int maxSamples;

  @Option(names = "--max-batch-images", defaultValue = "" + SampleBatcher.Settings.DEFAULT_MAX_BATCH_IMAGES,
      description = "Most images merged into one forward pass. Default: ${DEFAULT-VALUE}")
  int maxBatchImages;

  @Option(names = "--max-wait-ms", defaultValue = "" + SampleBatcher.Settings.DEFAULT_MAX_WAIT_MS,
      description = "Longest a request waits for others to share its forward pass. Default: ${DEFAULT-VALUE}")
  double maxWaitMs;

  @Option(names = "--max-queue-images", defaultValue = "" + SampleBatcher.Settings.DEFAULT_MAX_QUEUE_IMAGES,
      description = "Most images waiting; beyond it requests are refused at once (RESOURCE_EXHAUSTED). "
          + "Default: ${DEFAULT-VALUE}")
  int maxQueueImages;

  @Option(names = "--no-batching", description = "One request per forward pass (for comparison).")
  boolean noBatching;

  @Option(names = "--drain-seconds", defaultValue = "" + ServingOptions.DEFAULT_DRAIN_SECONDS,
      description = "On shutdown, longest wait for queued requests to finish. Default: ${DEFAULT-VALUE}")
  int drainSeconds;

  @Option(names = "--poll-seconds", defaultValue = "10",
      description = "Also ask the trainer for its newest checkpoint this often, in case an event was missed. "
          + "Default: ${DEFAULT-VALUE}")
  double pollSeconds;

  @Option(names = "--replica-id", description = "Name in logs and heartbeats. Default: replica-<random>.")
  String replicaId;

  @Mixin
  ClusterArgs cluster = new ClusterArgs();

  @Override
  public Integer call() {
    CheckpointChoice choice = CheckpointChoice.parse(which);
    ServingOptions options = options();
    Vertx vertx = Deployments.vertx(cluster.options());
    ServingVerticle verticle = new ServingVerticle(options, v -> source.trainer != null
        ? new TrainerCheckpointSource(RpcClient.create(v, options.getSecurity()), HostPort.parse(source.trainer))
        : new FileCheckpointSource(v, source.checkpoint, choice));
    Deployments.deploy(vertx, verticle);
    Deployments.closeOnShutdown(vertx, options.getDrainSeconds() + 10);
    Deployments.serveForever();
    return 0;
  }

  ServingOptions options() {
    SampleBatcher.Settings batching = new SampleBatcher.Settings(maxBatchImages,
        (long) (maxWaitMs * TimeUnit.MILLISECONDS.toNanos(1)), maxQueueImages);
    ServingOptions o = new ServingOptions().setHost(host).setAdvertiseHost(advertiseHost).setPort(port)
        .setMetricsPort(metricsPort).setHealthPort(healthPort).setMaxSamples(maxSamples)
        .setBatching(noBatching ? batching.unbatched() : batching).setDrainSeconds(drainSeconds)
        .setPollMs((long) (pollSeconds * 1000)).setSecurity(Gan.securityOf(gan));
    if (replicaId != null) {
      o.setReplicaId(replicaId);
    }
    return o;
  }
}
