package io.gancluster.core.nn;

import java.util.function.LongSupplier;
import org.bytedeco.javacpp.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the off-heap memory of dead arrays back before a backward pass, once the process has grown by a
 * threshold since the last time.
 *
 * <p>Why: ND4J frees an array's native buffer only after the garbage collector has collected its Java object.
 * A backward pass allocates hundreds of MB off-heap and almost nothing on the heap, so the heap seldom fills,
 * collections are rare and the dead buffers pile up: over 12 critic steps of {@code wgan-gp-transposed} the
 * process grew to 12.7 GB, and every new array landed on fresh pages that the kernel had to fault in and zero.
 * One {@link System#gc()} whenever the resident size has grown by the threshold lets the freed buffers be reused
 * (docs/benchmarks.md has the figures).
 *
 * <p>The threshold is {@value #DEFAULT_GROWTH_MB} MB, or the system property {@value #GROWTH_PROPERTY} (in MB;
 * 0 turns it off).
 */
public final class NativeMemoryReclaimer {
  public static final String GROWTH_PROPERTY = "gan.native-reclaim-mb";
  public static final long DEFAULT_GROWTH_MB = 512;
  private static final Logger LOG = LoggerFactory.getLogger(NativeMemoryReclaimer.class);

  /** The one this process's networks share: one resident size, one heap. */
  private static final NativeMemoryReclaimer PROCESS =
      new NativeMemoryReclaimer(Pointer::physicalBytes, System::gc, growthFromProperty());

  private final LongSupplier residentBytes;
  private final Runnable collect;
  private final long growthBytes;
  /** Resident size when last measured after a collection; -1: measure at the next call. */
  private long baseline = -1;
  private long collections;

  NativeMemoryReclaimer(LongSupplier residentBytes, Runnable collect, long growthBytes) {
    this.residentBytes = residentBytes;
    this.collect = collect;
    this.growthBytes = growthBytes;
  }

  public static NativeMemoryReclaimer process() {
    return PROCESS;
  }

  /**
   * Collects when the resident size is {@code growthBytes} above the baseline. The baseline is taken at the
   * call after a collection rather than right after it, because ND4J's deallocator thread frees the buffers of
   * collected arrays only after the collection has queued them.
   *
   * @return whether it collected
   */
  public synchronized boolean reclaimIfGrown() {
    if (growthBytes <= 0) {
      return false;
    }
    long resident = residentBytes.getAsLong();
    if (baseline < 0 || resident < baseline) {
      baseline = resident;
      return false;
    }
    if (resident - baseline < growthBytes) {
      return false;
    }
    collect.run();
    collections++;
    baseline = -1;
    if (collections == 1) {
      LOG.debug("collected dead arrays at {} MB resident (threshold {} MB of growth)", resident >> 20,
          growthBytes >> 20);
    }
    return true;
  }

  public synchronized long collections() {
    return collections;
  }

  private static long growthFromProperty() {
    String value = System.getProperty(GROWTH_PROPERTY);
    try {
      long mb = value == null ? DEFAULT_GROWTH_MB : Long.parseLong(value.trim());
      return Math.max(0, mb) << 20;
    } catch (NumberFormatException e) {
      LOG.warn("{}={} is not a whole number of MB; using {}", GROWTH_PROPERTY, value, DEFAULT_GROWTH_MB);
      return DEFAULT_GROWTH_MB << 20;
    }
  }
}
