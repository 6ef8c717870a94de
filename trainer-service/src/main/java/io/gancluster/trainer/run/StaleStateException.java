package io.gancluster.trainer.run;

/** A peer's exported state is not at this run's step: it restarted between its last step and the export. */
public final class StaleStateException extends IllegalStateException {
  StaleStateException(String message) {
    super(message);
  }
}
