package io.gancluster.runtime.cluster;

import io.gancluster.runtime.rpc.HostPort;
import io.vertx.core.json.JsonObject;

/**
 * The control events that cross the Vert.x event bus (clustered or local), and their JSON form.
 * Events are small and idempotent; bytes (checkpoints, images) always travel over gRPC.
 */
public final class ControlEvents {
  /** Published by the trainer after each checkpoint it writes (and once at start, for the newest it has). */
  public static final String CHECKPOINT_PUBLISHED = "gan.checkpoint.published";
  /** Published by every serving replica about once a second; the gateway discovers replicas from them. */
  public static final String REPLICA_HEARTBEAT = "gan.serving.replica";

  private ControlEvents() {}

  /** A checkpoint the trainer can stream (FetchCheckpoint) to whoever wants it. */
  public record CheckpointPublished(String version, long step, long sizeBytes, String sha256, HostPort trainer) {
    public JsonObject toJson() {
      return new JsonObject().put("version", version).put("step", step).put("sizeBytes", sizeBytes)
          .put("sha256", sha256).put("trainer", trainer.toString());
    }

    public static CheckpointPublished fromJson(JsonObject j) {
      return new CheckpointPublished(j.getString("version"), j.getLong("step", -1L), j.getLong("sizeBytes", -1L),
          j.getString("sha256"), HostPort.parse(j.getString("trainer")));
    }
  }

  /** What a serving replica says about itself. */
  public record ReplicaHeartbeat(String id, HostPort address, ReplicaState state, String version, int queuedImages) {
    public JsonObject toJson() {
      return new JsonObject().put("id", id).put("address", address.toString()).put("state", state.name())
          .put("version", version).put("queuedImages", queuedImages);
    }

    public static ReplicaHeartbeat fromJson(JsonObject j) {
      return new ReplicaHeartbeat(j.getString("id"), HostPort.parse(j.getString("address")),
          ReplicaState.valueOf(j.getString("state")), j.getString("version", ""), j.getInteger("queuedImages", 0));
    }
  }

  /** A replica's life: loading its first model, serving, draining before it stops, gone. */
  public enum ReplicaState { LOADING, SERVING, DRAINING, LEFT }
}
