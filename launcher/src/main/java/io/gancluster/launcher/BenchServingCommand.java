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
import io.gancluster.runtime.security.Security;
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
        "resident memory of the serving replica (a separate JVM started by this command).",
        "With --tls, each row also with TLS and bearer tokens on every hop, side by side.", "",
        "Example: ./gan bench-serving --seconds 15",
        "         ./gan bench-serving --tls --clients 1,32,64"})
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

  @Option(names = "--tls", description = {"Measure every row twice, plain and with TLS and bearer tokens on every hop",
      "(clients to gateway to replica), and print the two side by side. The certificate is a throw-away",
      "self-signed one made with the JDK's keytool."})
  boolean tls;

  /** One way of securing the path: the gateway's and clients' settings and what the replica is started with. */
  private record Mode(String name, Security security, List<String> replicaArgs, Map<String, String> replicaEnv) {}

  private record Row(String mode, boolean batching, SamplingLoad.Result result, double rssMiB) {}

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("gan-bench-serving");
    Path file = checkpoint != null ? checkpoint : freshCheckpoint(dir);
    byte[] bytes = Files.readAllBytes(file.toFile().isDirectory()
        ? new CheckpointStore(file.resolve("checkpoints"), Integer.MAX_VALUE).listNewestFirst().get(0) : file);
    ServedModel model = ServedModel.load("bench", bytes);
    System.out.printf(Locale.ROOT, "serving benchmark: generator %s, %d images per request, %d s per measurement, "
        + "batching max wait %.1f ms%s%n", model.generator().recipe(), count, seconds, maxWaitMs,
        tls ? ", plain and TLS + tokens" : "");
    double raw = rawImagesPerSecond(model, count);
    double rawBig = rawImagesPerSecond(model, 256);
    System.out.printf(Locale.ROOT, "raw in-process forward: %.0f images/s at batch %d, %.0f images/s at batch 256%n",
        raw, count, rawBig);

    List<Mode> modes = new ArrayList<>(List.of(new Mode("plain", Security.NONE, List.of(), Map.of())));
    if (tls) {
      modes.add(secureMode(dir));
    }
    Vertx vertx = Deployments.vertx();
    List<Row> rows = new ArrayList<>();
    try {
      for (boolean batching : batchingModes()) {
        for (Mode mode : modes) { // alternating plain and TLS keeps the two comparable on a shared machine
          rows.addAll(measure(vertx, mode, batching, file, dir));
        }
      }
    } finally {
      vertx.close();
    }
    printRows(rows, raw, rawBig);
    if (tls) {
      printComparison(rows);
    }
    return 0;
  }

  private boolean[] batchingModes() {
    return switch (batchingModes) {
      case "on" -> new boolean[] {true};
      case "off" -> new boolean[] {false};
      default -> new boolean[] {true, false};
    };
  }

  private static Mode secureMode(Path dir) throws Exception {
    String password = "bench-" + java.util.UUID.randomUUID();
    Path p12 = ThrowAwayCertificate.create(dir, password);
    String control = "bench-control-" + java.util.UUID.randomUUID();
    String sampling = "bench-sampling-" + java.util.UUID.randomUUID();
    // The clients present the control token, which also grants sampling: one token check per hop either way.
    Security security = Security.of(control, sampling, new Security.Tls(p12, null, p12, password, true));
    return new Mode("tls+tokens", security, List.of("--tls-cert", p12.toString()),
        Map.of(Security.CONTROL_TOKEN_ENV, control, Security.SAMPLING_TOKEN_ENV, sampling, "GAN_TLS_PASSWORD", password));
  }

  /** Starts a replica (its own JVM) and a gateway in front of it, both secured as {@code mode}, and loads them. */
  private List<Row> measure(Vertx vertx, Mode mode, boolean batching, Path file, Path dir) throws Exception {
    RpcClient client = RpcClient.create(vertx, mode.security());
    HostPort address = new HostPort("127.0.0.1", GanProcessLauncher.freePort());
    GatewayVerticle gateway = Deployments.deploy(vertx, new GatewayVerticle(new GatewayOptions().setHttpPort(0)
        .setGrpcPort(0).setGenerators(List.of(address)).setSecurity(mode.security())));
    HostPort g = new HostPort("127.0.0.1", gateway.actualGrpcPort());
    List<String> args = new ArrayList<>(List.of("serve-replica", "--checkpoint", file.toString(), "--port",
        "" + address.port(), "--metrics-port", "-1", "--replica-id", (batching ? "batching-" : "unbatched-") + mode.name(),
        "--max-queue-images", "" + maxQueueImages));
    args.addAll(batching ? List.of("--max-wait-ms", Double.toString(maxWaitMs)) : List.of("--no-batching"));
    args.addAll(mode.replicaArgs());
    List<Row> rows = new ArrayList<>();
    try (GanProcessLauncher replica = GanProcessLauncher.start(List.of("-Xmx1g"), args,
        dir.resolve("replica-" + mode.name() + ".log"), mode.replicaEnv())) {
      replica.awaitServing(vertx, client, address, Duration.ofMinutes(2));
      Thread.sleep(1500); // the gateway's next health check finds it up
      // warm-up: the replica's JIT and oneDNN kernels for every batch size the runs will see
      SamplingLoad.run(vertx, client, g, clients.stream().max(Integer::compare).orElse(1), count, Duration.ofSeconds(5));
      SamplingLoad.run(vertx, client, g, 1, count, Duration.ofSeconds(2));
      for (int n : clients) {
        SamplingLoad.Result r = SamplingLoad.run(vertx, client, g, n, count, Duration.ofSeconds(seconds));
        rows.add(new Row(mode.name(), batching, r, replica.rssMiB()));
        if (!r.errors().isEmpty()) {
          System.out.println("errors: " + r.errors());
        }
      }
    } finally {
      io.gancluster.runtime.rpc.Blocking.await(vertx.undeploy(gateway.deploymentID()), Duration.ofSeconds(30));
    }
    return rows;
  }

  private void printRows(List<Row> rows, double raw, double rawBig) {
    String format = "%-10s %-9s %8s %9s %10s %10s %8s %8s %9s %8s %7s %9s%n";
    System.out.printf(Locale.ROOT, format, "security", "batching", "clients", "images/s", "/raw@" + count, "/raw@256",
        "p50 ms", "p99 ms", "requests", "refused", "errors", "RSS MiB");
    for (Row row : rows) {
      SamplingLoad.Result r = row.result();
      System.out.printf(Locale.ROOT, format, row.mode(), row.batching() ? "on" : "off", r.clients(),
          String.format(Locale.ROOT, "%.0f", r.imagesPerSecond()),
          String.format(Locale.ROOT, "%.2f", r.imagesPerSecond() / raw),
          String.format(Locale.ROOT, "%.2f", r.imagesPerSecond() / rawBig),
          String.format(Locale.ROOT, "%.1f", r.percentile(0.5)), String.format(Locale.ROOT, "%.1f", r.percentile(0.99)),
          r.ok(), r.rejected(), r.failed(), String.format(Locale.ROOT, "%.0f", row.rssMiB()));
    }
  }

  /** TLS beside plain for each batching mode and client count, and the ratio of their throughputs. */
  private static void printComparison(List<Row> rows) {
    String format = "%-9s %8s %15s %15s %11s %17s %17s%n";
    System.out.printf(Locale.ROOT, "%nTLS + tokens beside plain:%n");
    System.out.printf(Locale.ROOT, format, "batching", "clients", "plain images/s", "TLS images/s", "TLS/plain",
        "p50 ms plain/TLS", "p99 ms plain/TLS");
    for (Row plain : rows) {
      if (!plain.mode().equals("plain")) {
        continue;
      }
      rows.stream().filter(t -> !t.mode().equals("plain") && t.batching() == plain.batching()
          && t.result().clients() == plain.result().clients()).findFirst().ifPresent(secure -> {
            SamplingLoad.Result p = plain.result();
            SamplingLoad.Result t = secure.result();
            System.out.printf(Locale.ROOT, format, plain.batching() ? "on" : "off", p.clients(),
                String.format(Locale.ROOT, "%.0f", p.imagesPerSecond()), String.format(Locale.ROOT, "%.0f", t.imagesPerSecond()),
                String.format(Locale.ROOT, "%.2f", t.imagesPerSecond() / p.imagesPerSecond()),
                String.format(Locale.ROOT, "%.1f / %.1f", p.percentile(0.5), t.percentile(0.5)),
                String.format(Locale.ROOT, "%.1f / %.1f", p.percentile(0.99), t.percentile(0.99)));
          });
    }
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
