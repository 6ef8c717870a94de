package io.gancluster.generator.serving;

import io.gancluster.core.checkpoint.CheckpointChoice;
import io.gancluster.core.checkpoint.CheckpointStore;
import io.gancluster.proto.v1.CheckpointInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints from the local disk: one file, or a run folder's best checkpoint ({@code checkpoints/best.zip}; its
 * newest readable one when it has none, or when asked for the latest). For serving without a trainer
 * ({@code gan serve-replica --checkpoint}) and for the serving benchmark. A run folder is looked at again on every
 * poll, so a new best (or newest) checkpoint is picked up.
 */
public final class FileCheckpointSource implements CheckpointSource {
  private static final Logger LOG = LoggerFactory.getLogger(FileCheckpointSource.class);

  private final Vertx vertx;
  private final Path path;
  private final CheckpointChoice choice;
  private volatile String lastWhich;

  /** A file, or a run folder's best checkpoint. */
  public FileCheckpointSource(Vertx vertx, Path path) {
    this(vertx, path, CheckpointChoice.BEST);
  }

  public FileCheckpointSource(Vertx vertx, Path path, CheckpointChoice choice) {
    this.vertx = vertx;
    this.path = path;
    this.choice = choice;
  }

  @Override
  public Future<CheckpointInfo> latest() {
    return vertx.executeBlocking(() -> {
      Path file = chosen();
      byte[] bytes = Files.readAllBytes(file);
      return info(file, bytes);
    }, false);
  }

  @Override
  public Future<Fetched> fetch(String version) {
    return vertx.executeBlocking(() -> {
      Path file = chosen();
      byte[] bytes = Files.readAllBytes(file);
      CheckpointInfo info = info(file, bytes);
      if (!info.getVersion().equals(version)) {
        throw new java.util.NoSuchElementException("no checkpoint " + version + " (" + choice + " is "
            + info.getVersion() + ")");
      }
      return new Fetched(info, bytes);
    }, false);
  }

  /** The file to serve now; says which it is whenever that changes (e.g. the run got its first best.zip). */
  private Path chosen() {
    CheckpointChoice.Chosen c = choice.choose(path);
    String which = c.file().getFileName() + ": " + c.which();
    if (!which.equals(lastWhich)) {
      lastWhich = which;
      LOG.info("{}: {}", path, which);
    }
    return c.file();
  }

  private static CheckpointInfo info(Path file, byte[] bytes) {
    String run = null;
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null && parent.getFileName().toString().equals("checkpoints") && parent.getParent() != null) {
      run = parent.getParent().getFileName().toString(); // the same id the trainer would publish
    }
    boolean best = file.getFileName().toString().equals(CheckpointStore.BEST_FILE);
    // best.zip is replaced in place: its step tells one best from the next
    long step = best ? CheckpointStore.read(file.toString(), bytes).step() : -1;
    String name = CheckpointStore.versionName(file, step);
    CheckpointInfo.Builder info = CheckpointInfo.newBuilder().setVersion(run == null ? name : run + "/" + name)
        .setSizeBytes(bytes.length).setSha256(TrainerCheckpointSource.sha256(bytes));
    return step >= 0 ? info.setStep(step).build() : info.build();
  }

  @Override
  public String describe() {
    return Files.isDirectory(path) ? "run folder " + path + " (" + choice + " checkpoint)" : "file " + path;
  }
}
