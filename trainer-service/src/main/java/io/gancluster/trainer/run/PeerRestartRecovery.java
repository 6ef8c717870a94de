package io.gancluster.trainer.run;

import io.gancluster.client.peer.DiscriminatorPeer;
import io.gancluster.client.peer.GeneratorPeer;
import io.gancluster.core.checkpoint.CheckpointStore;
import io.gancluster.core.nn.NetworkState;
import io.gancluster.trainer.schedule.AdversarialSchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the run does when a peer restarts under it (fresh weights, its update count back at 0): both
 * networks go back to the newest checkpoint, so they are always at the same step. A restart shows as a
 * failed step, or as an export at the wrong update count; a peer that keeps dying stops the run instead.
 */
final class PeerRestartRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class); // one logger for the whole run
  /** A peer that keeps dying should stop the run, not rewind it forever. */
  static final int MAX_REWINDS_IN_A_ROW = 5;

  private final GeneratorPeer generator;
  private final DiscriminatorPeer discriminator;
  private final AdversarialSchedule schedule;
  private final RunCheckpoints checkpoints;
  private int rewindsInARow;
  private int rewinds;

  PeerRestartRecovery(GeneratorPeer generator, DiscriminatorPeer discriminator, AdversarialSchedule schedule,
      RunCheckpoints checkpoints) {
    this.generator = generator;
    this.discriminator = discriminator;
    this.schedule = schedule;
    this.checkpoints = checkpoints;
  }

  /** Whether a failed step is a peer restart that the run may rewind from. */
  boolean mayRewindAfterFailedStep() {
    return mayRewind() && peerRestarted();
  }

  /** Whether the run may rewind once more (e.g. from a stale export). */
  boolean mayRewind() {
    return rewindsInARow < MAX_REWINDS_IN_A_ROW;
  }

  void stepTaken() {
    rewindsInARow = 0;
  }

  /** How often the run went back to a checkpoint. */
  int rewinds() {
    return rewinds;
  }

  /**
   * Puts both networks back to the newest checkpoint (the restarted peer gets its state from it, the
   * other one loses any half-applied step); returns that checkpoint's step, where the run continues.
   */
  long rewind(RuntimeException cause, long failedStep) {
    rewindsInARow++;
    CheckpointStore.Loaded newest = checkpoints.newest().orElseThrow(() -> new IllegalStateException(
        "a peer restarted and " + checkpoints.directory() + " holds no readable checkpoint to rewind to", cause));
    LOG.warn("a peer restarted during step {} ({}): reloading both networks from {} and continuing from step {}",
        failedStep + 1, cause.getMessage(), newest.file(), newest.checkpoint().step());
    long step = checkpoints.restore(newest);
    rewinds++;
    return step;
  }

  /**
   * A peer that restarted since its last step (e.g. while we waited for its export) exports fresh
   * weights: such a state must never become a checkpoint.
   */
  void requireInStep(RunCheckpoints.PeerStates states) {
    requireInStep(generator.describe(), NetworkState.updates(states.generator()), schedule.expectedGeneratorUpdates());
    requireInStep(discriminator.describe(), NetworkState.updates(states.discriminator()),
        schedule.expectedDiscriminatorUpdates());
  }

  /**
   * Whether a peer's update count is not what this run last saw: it restarted (fresh weights) or
   * someone else changed it. Asked after a failed step; the peers are reached with the usual retries.
   */
  private boolean peerRestarted() {
    try {
      long g = generator.updates();
      long d = discriminator.updates();
      return g != schedule.expectedGeneratorUpdates() || d != schedule.expectedDiscriminatorUpdates();
    } catch (RuntimeException unreachable) {
      return false; // still down after the retries: the step's own error says so
    }
  }

  private static void requireInStep(String peer, long exported, long expected) {
    if (exported != expected) {
      throw new StaleStateException(peer + " exported its state at " + exported + " optimizer updates, expected "
          + expected + ": it restarted; not writing that as a checkpoint");
    }
  }
}
