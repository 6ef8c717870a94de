package io.gancluster.generator.serving;

import io.gancluster.proto.v1.CheckpointInfo;
import io.vertx.core.Future;

/** Where a serving replica gets its models: the trainer over gRPC, or a local file. */
public interface CheckpointSource {
  /** The newest checkpoint on offer; fails (e.g. NOT_FOUND, UNAVAILABLE) when there is none yet. */
  Future<CheckpointInfo> latest();

  /** The bytes of {@code version}, verified against the size and SHA-256 the source announced. */
  Future<Fetched> fetch(String version);

  /** What a fetch brought: the checkpoint's info (from the source) and its verified bytes. */
  record Fetched(CheckpointInfo info, byte[] bytes) {}

  /** A short description for logs. */
  String describe();
}
