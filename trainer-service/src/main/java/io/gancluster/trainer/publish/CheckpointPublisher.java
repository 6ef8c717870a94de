package io.gancluster.trainer.publish;

import io.gancluster.runtime.cluster.ControlEvents;
import io.gancluster.runtime.cluster.ControlEvents.CheckpointPublished;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.proto.v1.CheckpointInfo;
import io.gancluster.trainer.run.TrainingRun;
import io.vertx.core.eventbus.EventBus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the cluster about each checkpoint the run writes (an event on the bus) and remembers which
 * files it published, so FetchCheckpoint can stream them. Only published versions resolve to a file:
 * a name from the network never becomes a path, so no request reaches outside the run folder.
 */
public final class CheckpointPublisher implements TrainingRun.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointPublisher.class);
  /** Published versions remembered; the run folder keeps fewer files than this anyway. */
  static final int REMEMBERED = 16;

  private final EventBus bus;
  private volatile HostPort advertised;
  private final String preset;
  private final Map<String, Published> published = new LinkedHashMap<>();
  private volatile Published latest;

  public CheckpointPublisher(EventBus bus, String preset) {
    this.bus = bus;
    this.preset = preset;
    this.advertised = new HostPort("127.0.0.1", 9093);
  }

  /** Where replicas can reach this trainer's gRPC port (sent in each event); set once it listens. */
  public CheckpointPublisher advertiseAs(HostPort address) {
    this.advertised = address;
    return this;
  }

  @Override
  public void onStep(io.gancluster.trainer.schedule.StepReport report, long maxSteps, int batchSize) {
    // steps are the progress feed's business; only checkpoints matter here
  }

  @Override
  public void onCheckpoint(long step, Path file, String version) {
    try {
      Published p = new Published(file, CheckpointInfo.newBuilder().setVersion(version).setStep(step)
          .setSizeBytes(Files.size(file)).setSha256(sha256(file)).setPreset(preset)
          .setTrainer(advertised.toString()).build());
      synchronized (published) {
        published.put(version, p);
        while (published.size() > REMEMBERED) {
          published.remove(published.keySet().iterator().next());
        }
      }
      latest = p;
      CheckpointInfo i = p.info();
      bus.publish(ControlEvents.CHECKPOINT_PUBLISHED,
          new CheckpointPublished(version, step, i.getSizeBytes(), i.getSha256(), advertised).toJson());
      LOG.info("published {} ({} bytes, sha256 {}) to the serving replicas", version, i.getSizeBytes(),
          i.getSha256().substring(0, 12));
    } catch (IOException e) {
      LOG.warn("could not publish {}: {}", file, e.toString()); // serving keeps the previous version
    }
  }

  /** The newest published checkpoint, if any. */
  public Optional<CheckpointInfo> latest() {
    Published p = latest;
    return p == null ? Optional.empty() : Optional.of(p.info());
  }

  /** The file of a published version; unknown or pruned versions fail with the versions on offer. */
  public Published lookup(String version) {
    synchronized (published) {
      Published p = published.get(version);
      if (p == null || !Files.isRegularFile(p.file())) {
        throw new NoSuchElementException("checkpoint '" + version + "' is not published by this trainer; it has: "
            + String.join(", ", published.keySet()));
      }
      return p;
    }
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A published checkpoint: its file and what replicas are told about it. */
  public record Published(Path file, CheckpointInfo info) {}
}
