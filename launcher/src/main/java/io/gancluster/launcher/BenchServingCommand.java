package io.gancluster.launcher;

import io.gancluster.client.RpcClient;
import io.gancluster.core.checkpoint.Checkpoint;
import io.gancluster.core.checkpoint.CheckpointStore;
import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.model.recipe.Presets;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.gateway.GatewayOptions;
import io.gancluster.gateway.GatewayVerticle;
import io.gancluster.generator.GeneratorTrainer;
import io.gancluster.generator.serving.ServedModel;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Serving throughput and latency: images/s through the gateway at 1 and 32 concurrent clients, with
 * dynamic batching on and off, against the raw in-process forward pass, plus the replica's memory.
 * The replica is its own JVM (serve-replica), as in production; gateway and clients share this one.
 */
@Command(name = "bench-serving", mixinStandardHelpOptions = true,
    description = {"Benchmark serving: images/s and latency, with and without batching.", "",
        "Images/s and p50/p99 latency through the gateway at 1 and 32 concurrent",
        "clients, with and without dynamic batching, as a ratio of the raw in-process forward pass; and the",
        "resident memory of the serving replica (a separate JVM started by this command).", "",
        "Example: ./gan bench-serving --seconds 15"})
final class BenchServingCommand implements Callable<Integer> {
  @Option(names = "--preset", defaultValue = "dcgan-mnist-small",
      description = "Generator to serve (fresh weights; speed does not depend on them). Default: ${DEFAULT-VALUE}")
  String preset;

  @Option(names = "--checkpoint", description = "Serve this checkpoint (file or run folder) instead of fresh weights.")
  Path checkpoint;

  @Option(names = "--count", defaultValue = "16", description = "Images per request. Default: ${DEFAULT-VALUE}")
  int count;

  @Option(names = "--clients", split = ",", defaultValue = "1,32",
      description = "Concurrent clients to measure. Default: ${DEFAULT-VALUE}")
  List<Integer> clients;

  @Option(names = "--seconds", defaultValue = "10", description = "Seconds per measurement. Default: ${DEFAULT-VALUE}")
  int seconds;

  @Option(names = "--batching", defaultValue = "both", description = "on, off or both. Default: ${DEFAULT-VALUE}")
  String batchingModes;

  @Option(names = "--max-queue-images", defaultValue = "2048",
      description = "The replica's --max-queue-images (refusals are counted apart from errors). Default: ${DEFAULT-VALUE}")
  int maxQueueImages;

  @Option(names = "--max-wait-ms", defaultValue = "0",
      description = "The batching replica's --max-wait-ms. Default: ${DEFAULT-VALUE}")
  double maxWaitMs;

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("gan-bench-serving");
    Path file = checkpoint != null ? checkpoint : freshCheckpoint(dir);
    byte[] bytes = Files.readAllBytes(file.toFile().isDirectory()
        ? new CheckpointStore(file.resolve("checkpoints"), Integer.MAX_VALUE).listNewestFirst().get(0) : file);
    ServedModel model = ServedModel.load("bench", bytes);
    System.out.printf(Locale.ROOT, "serving benchmark: generator %s, %d images per request, %d s per measurement, "
        + "batching max wait %.1f ms%n", model.generator().recipe(), count, seconds, maxWaitMs);
    double raw = rawImagesPerSecond(model, count);
    double rawBig = rawImagesPerSecond(model, 256);
    System.out.printf(Locale.ROOT, "raw in-process forward: %.0f images/s at batch %d, %.0f images/s at batch 256%n",
        raw, count, rawBig);

    Vertx vertx = Deployments.vertx();
    List<String[]> rows = new ArrayList<>();
    try {
      RpcClient client = RpcClient.plain(vertx);
      int port = GanProcessLauncher.freePort(); // both replicas in turn, so one gateway serves both runs
      HostPort address = new HostPort("127.0.0.1", port);
      GatewayVerticle gateway = Deployments.deploy(vertx, new GatewayVerticle(new GatewayOptions().setHttpPort(0)
          .setGrpcPort(0).setGenerators(List.of(address))));
      HostPort g = new HostPort("127.0.0.1", gateway.actualGrpcPort());
      boolean[] modes = switch (batchingModes) {
        case "on" -> new boolean[] {true};
        case "off" -> new boolean[] {false};
        default -> new boolean[] {true, false};
      };
      for (boolean batching : modes) {
        List<String> args = new ArrayList<>(List.of("serve-replica", "--checkpoint", file.toString(), "--port",
            "" + port, "--metrics-port", "-1", "--replica-id", batching ? "batching" : "unbatched",
            "--max-queue-images", "" + maxQueueImages));
        args.addAll(batching ? List.of("--max-wait-ms", Double.toString(maxWaitMs)) : List.of("--no-batching"));
        try (GanProcessLauncher replica = GanProcessLauncher.start(args, dir.resolve("replica.log"))) {
          replica.awaitServing(vertx, client, address, Duration.ofMinutes(2));
          Thread.sleep(1500); // the gateway's next health check finds it up
          // warm-up: the replica's JIT and oneDNN kernels for every batch size the runs will see
          SamplingLoad.run(vertx, client, g, clients.stream().max(Integer::compare).orElse(1), count,
              Duration.ofSeconds(5));
          SamplingLoad.run(vertx, client, g, 1, count, Duration.ofSeconds(2));
          for (int n : clients) {
            SamplingLoad.Result r = SamplingLoad.run(vertx, client, g, n, count, Duration.ofSeconds(seconds));
            rows.add(new String[] {batching ? "on" : "off", Integer.toString(n),
                String.format(Locale.ROOT, "%.0f", r.imagesPerSecond()),
                String.format(Locale.ROOT, "%.2f", r.imagesPerSecond() / raw),
                String.format(Locale.ROOT, "%.2f", r.imagesPerSecond() / rawBig),
                String.format(Locale.ROOT, "%.1f", r.percentile(0.5)), String.format(Locale.ROOT, "%.1f", r.percentile(0.99)),
                Long.toString(r.ok()), Long.toString(r.rejected()), Long.toString(r.failed()),
                String.format(Locale.ROOT, "%.0f", replica.rssMiB())});
            if (!r.errors().isEmpty()) {
              System.out.println("errors: " + r.errors());
            }
          }
        }
      }
    } finally {
      vertx.close();
    }
    System.out.printf(Locale.ROOT, "%-9s %8s %9s %10s %10s %8s %8s %9s %8s %7s %9s%n", "batching", "clients",
        "images/s", "/raw@" + count, "/raw@256", "p50 ms", "p99 ms", "requests", "refused", "errors", "RSS MiB");
    for (String[] r : rows) {
      System.out.printf(Locale.ROOT, "%-9s %8s %9s %10s %10s %8s %8s %9s %8s %7s %9s%n", (Object[]) r);
    }
    return 0;
  }

  private Path freshCheckpoint(Path dir) {
    Preset p = Presets.get(preset);
    GeneratorTrainer g = new GeneratorTrainer(p, DataType.FLOAT, 1);
    return new CheckpointStore(dir.resolve("bench/checkpoints"), 1).write(new Checkpoint(0, 0, 1,
        Map.of("preset", p.name(), "generator", p.generatorRecipe(), "latent", p.model().latent().cliName(),
            "label_names", ""), g.exportState(), new byte[0]));
  }

  /** Single-thread forward passes of {@code batch} images for about 3 s, after a warm-up. */
  private static double rawImagesPerSecond(ServedModel model, int batch) {
    GeneratorTrainer g = model.generator();
    INDArray z = Nd4j.create(g.latent(batch, 1, 0), new long[] {batch, g.zDim()}, 'c');
    int[] labels = g.sampleLabels(batch, null);
    for (int i = 0; i < 5; i++) {
      g.sampleFrom(z, labels);
    }
    long start = System.nanoTime();
    long images = 0;
    while (System.nanoTime() - start < 3_000_000_000L) {
      g.sampleFrom(z, labels);
      images += batch;
    }
    return images / ((System.nanoTime() - start) / 1e9);
  }
}
