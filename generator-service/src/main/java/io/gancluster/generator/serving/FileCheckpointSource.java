package io.gancluster.generator.serving;

import io.gancluster.core.checkpoint.CheckpointStore;
import io.gancluster.proto.v1.CheckpointInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checkpoints from the local disk: one file, or the newest readable one of a run folder. For serving
 * without a trainer ({@code gan serve-replica --checkpoint}) and for the serving benchmark.
 */
public final class FileCheckpointSource implements CheckpointSource {
  private final Vertx vertx;
  private final Path path;

  public FileCheckpointSource(Vertx vertx, Path path) {
    this.vertx = vertx;
    this.path = path;
  }

  @Override
  public Future<CheckpointInfo> latest() {
    return vertx.executeBlocking(() -> {
      Path file = newest();
      byte[] bytes = Files.readAllBytes(file);
      return info(file, bytes);
    }, false);
  }

  @Override
  public Future<Fetched> fetch(String version) {
    return vertx.executeBlocking(() -> {
      Path file = newest();
      byte[] bytes = Files.readAllBytes(file);
      CheckpointInfo info = info(file, bytes);
      if (!info.getVersion().equals(version)) {
        throw new java.util.NoSuchElementException("no checkpoint " + version + " (newest is " + info.getVersion() + ")");
      }
      return new Fetched(info, bytes);
    }, false);
  }

  private Path newest() {
    if (!Files.isDirectory(path)) {
      return path;
    }
    Path dir = Files.isDirectory(path.resolve("checkpoints")) ? path.resolve("checkpoints") : path;
    return new CheckpointStore(dir, Integer.MAX_VALUE).latest()
        .orElseThrow(() -> new IllegalArgumentException("no readable checkpoint in " + path)).file();
  }

  private static CheckpointInfo info(Path file, byte[] bytes) {
    String name = file.getFileName().toString().replaceFirst("\\.zip$", "");
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null && parent.getFileName().toString().equals("checkpoints") && parent.getParent() != null) {
      name = parent.getParent().getFileName() + "/" + name; // the same id the trainer would publish
    }
    return CheckpointInfo.newBuilder().setVersion(name).setSizeBytes(bytes.length)
        .setSha256(TrainerCheckpointSource.sha256(bytes)).build();
  }

  @Override
  public String describe() {
    return "file " + path;
  }
}
