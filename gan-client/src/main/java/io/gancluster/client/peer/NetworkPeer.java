package io.gancluster.client.peer;

/** What the coordinator needs from either network besides training: state, counts and where it runs. */
public interface NetworkPeer {
  byte[] exportState();

  /** Returns the update count the state carries. */
  long importState(byte[] state);

  /** Where it lives, for messages ("generator-service at 127.0.0.1:9091"). */
  String describe();

  /** Optimizer updates the network has taken so far. */
  long updates();

  /**
   * What the service was configured with; must equal the run preset's {@code generatorRecipe()} or
   * {@code discriminatorRecipe()}.
   */
  String recipe();

  /** Where it computes (ND4J backend and device), for the run's log; in-process peers share this JVM's. */
  default String compute() {
    return io.gancluster.core.compute.ComputeDevice.current().describe();
  }
}
