package io.gancluster.launcher;

import io.gancluster.client.RpcClient;

import io.gancluster.core.data.DataSources;
import io.gancluster.core.data.ImageSet;
import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.model.recipe.PresetOverrides;
import io.gancluster.core.model.recipe.Presets;
import io.gancluster.core.nn.OpTimes;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.client.DiscriminatorClient;
import io.gancluster.discriminator.DiscriminatorVerticle;
import io.gancluster.client.GeneratorClient;
import io.gancluster.generator.GeneratorVerticle;
import io.gancluster.client.peer.DiscriminatorPeer;
import io.gancluster.client.peer.GeneratorPeer;
import io.gancluster.discriminator.LocalDiscriminatorPeer;
import io.gancluster.generator.LocalGeneratorPeer;
import io.gancluster.client.peer.RemoteDiscriminatorPeer;
import io.gancluster.client.peer.RemoteGeneratorPeer;
import io.gancluster.client.Retry;
import io.gancluster.trainer.schedule.AdversarialSchedule;
import io.gancluster.trainer.schedule.Batches;
import io.gancluster.trainer.schedule.StepReport;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

/**
 * Milliseconds per D step and per G step of the same schedule, split over gRPC on loopback versus both
 * networks in this process with no gRPC, and their ratio.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Benchmark: ms per D and G step, split cluster over gRPC versus in-process.", "",
        "Median ms per D step and per G step with the networks behind gRPC on loopback (one JVM) and",
        "called directly (no gRPC, no protobuf), interleaved, and the split/in-process ratio."})
final class BenchCommand implements Callable<Integer> {
  private static final int TOP_OPS = 25;

  @Option(names = "--preset", defaultValue = "dcgan-mnist-small", description = "Default: ${DEFAULT-VALUE}")
  String preset;

  @Option(names = "--steps", defaultValue = "20", description = "Measured steps per mode. Default: ${DEFAULT-VALUE}")
  int steps;

  /** The JIT compiler needs about this many steps of a small preset to bring the Java side to its steady speed. */
  @Option(names = "--warmup", defaultValue = "50", description = "Unmeasured steps first, so that the JIT compiler "
      + "has brought the Java side (SameDiff's bookkeeping, gRPC, protobuf) to its steady speed. Default: ${DEFAULT-VALUE}")
  int warmup;

  @Option(names = "--batch", defaultValue = "0", description = "Batch size (0: the preset's).")
  int batch;

  @Spec
  CommandSpec spec;

  /** The same recipe options as train, so a technique's step cost can be measured (e.g. --r1 10). */
  @Mixin
  RecipeOptions recipe = new RecipeOptions();

  @Option(names = "--sequential", description = "G's forward passes strictly in turn with D's updates, as before "
      + "the overlap (the default runs them beside D's updates; results are identical).")
  boolean sequential;

  @Option(names = "--ops", paramLabel = "N", defaultValue = "0", description = "Then N more in-process steps, "
      + "sequential, with every SameDiff op timed: prints the ops that took the most time per step (op, output "
      + "shape, ms, share). 0: off. Default: ${DEFAULT-VALUE}")
  int opSteps;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PresetOverrides overrides = recipe.toOverrides();
    Preset p = overrides.applyTo(Presets.get(preset));
    p = batch > 0 ? p.withBatchSize(batch) : p;
    ImageSet data = DataSources.load("mnist");
    long seed = 1;
    Vertx vertx = Deployments.vertx();
    try {
      GeneratorVerticle g = Deployments.deploy(vertx, GeneratorVerticle.forPreset(p, seed, 0));
      DiscriminatorVerticle d = Deployments.deploy(vertx, DiscriminatorVerticle.forPreset(p, seed, 0));
      var client = RpcClient.plain(vertx);
      AdversarialSchedule split = schedule(p, data,
          new RemoteGeneratorPeer(new GeneratorClient(client, new HostPort("127.0.0.1", g.actualPort())), Retry.defaults()),
          new RemoteDiscriminatorPeer(new DiscriminatorClient(client, new HostPort("127.0.0.1", d.actualPort())),
              Retry.defaults()));
      AdversarialSchedule local = schedule(p, data, new LocalGeneratorPeer(p, seed, DataType.FLOAT),
          new LocalDiscriminatorPeer(p, seed, DataType.FLOAT));
      for (int k = 0; k < warmup; k++) {
        local.step(k);
        split.step(k);
      }
      // interleaved, so JIT warm-up, caches and machine noise fall on both modes alike
      double[][] localMs = new double[3][steps];
      double[][] splitMs = new double[3][steps];
      for (int i = 0; i < steps; i++) {
        record(localMs, i, local.step(warmup + i));
        record(splitMs, i, split.step(warmup + i));
      }
      if (!overrides.equals(PresetOverrides.NONE)) {
        out.println("recipe: D " + p.discriminatorRecipe() + "; G " + p.generatorRecipe());
      }
      out.printf(Locale.ROOT, "preset %s, batch %d, %s, %d interleaved steps per mode after %d warm-up, "
          + "median ms:%n", p.name(), p.batchSize(), sequential ? "sequential" : "G forwards overlapping D",
          steps, warmup);
      out.printf(Locale.ROOT, "%-8s %12s %12s %8s%n", "", "in-process", "split-gRPC", "ratio");
      String[] names = {"D step", "G step", "total"};
      for (int i = 0; i < 3; i++) {
        double a = median(localMs[i]);
        double b = median(splitMs[i]);
        out.printf(Locale.ROOT, "%-8s %12.1f %12.1f %8.2f%n", names[i], a, b, b / a);
      }
      if (opSteps > 0) {
        profileOps(out, p, data, seed);
      }
    } finally {
      vertx.close();
    }
    out.flush();
    return 0;
  }

  /** Fresh in-process networks, one untimed step, then {@code opSteps} steps with every op timed. */
  private void profileOps(PrintWriter out, Preset p, ImageSet data, long seed) {
    LocalGeneratorPeer g = new LocalGeneratorPeer(p, seed, DataType.FLOAT);
    LocalDiscriminatorPeer d = new LocalDiscriminatorPeer(p, seed, DataType.FLOAT);
    AdversarialSchedule s = schedule(p, data, g, d, false);
    s.step(0);
    OpTimes times = new OpTimes();
    g.listen(times);
    d.listen(times);
    double wallMs = 0;
    for (int i = 1; i <= opSteps; i++) {
      wallMs += s.step(i).stepSeconds() * 1000;
    }
    List<OpTimes.Entry> entries = times.entries();
    double opsMs = entries.stream().mapToLong(OpTimes.Entry::nanos).sum() / 1e6;
    out.printf(Locale.ROOT, "%nops, in-process, sequential, mean of %d steps: %.1f ms per step, %.1f ms of it in "
        + "SameDiff ops; the %d costliest (op [first output's shape]):%n", opSteps, wallMs / opSteps,
        opsMs / opSteps, Math.min(TOP_OPS, entries.size()));
    for (OpTimes.Entry e : entries.subList(0, Math.min(TOP_OPS, entries.size()))) {
      out.printf(Locale.ROOT, "%9.1f ms %5.1f %%  x%-3d %s%n", e.nanos() / 1e6 / opSteps, 100 * e.nanos() / 1e6 / opsMs,
          e.count() / opSteps, e.op());
    }
  }

  private AdversarialSchedule schedule(Preset p, ImageSet data, GeneratorPeer g, DiscriminatorPeer d) {
    return schedule(p, data, g, d, !sequential);
  }

  private static AdversarialSchedule schedule(Preset p, ImageSet data, GeneratorPeer g, DiscriminatorPeer d,
      boolean overlapping) {
    AdversarialSchedule s = new AdversarialSchedule(g, d, new Batches(data, p.batchSize(), 1), 1, p)
        .overlapping(overlapping);
    s.expectUpdates(0, 0);
    return s;
  }

  private static void record(double[][] ms, int i, StepReport r) {
    ms[0][i] = r.dStepSeconds() * 1000;
    ms[1][i] = r.gStepSeconds() * 1000;
    ms[2][i] = r.stepSeconds() * 1000;
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
