package io.gancluster.core.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

class NativeMemoryReclaimerTest {
  private static final long MB = 1 << 20;

  @Test
  void collectsOnlyOnceTheProcessHasGrownByTheThresholdSinceTheBaseline() {
    AtomicLong resident = new AtomicLong(1000 * MB);
    AtomicInteger collected = new AtomicInteger();
    NativeMemoryReclaimer r = new NativeMemoryReclaimer(resident::get, collected::incrementAndGet, 512 * MB);

    assertThat(r.reclaimIfGrown()).isFalse(); // first call: the baseline
    resident.set(1511 * MB);
    assertThat(r.reclaimIfGrown()).isFalse(); // 511 MB of growth: under the threshold
    resident.set(1512 * MB);
    assertThat(r.reclaimIfGrown()).isTrue();
    assertThat(collected).hasValue(1);

    resident.set(1300 * MB); // what the deallocator gave back: the next call's reading is the new baseline
    assertThat(r.reclaimIfGrown()).isFalse();
    resident.set(1700 * MB);
    assertThat(r.reclaimIfGrown()).isFalse(); // 400 MB above 1300, not above 1000
    resident.set(1812 * MB);
    assertThat(r.reclaimIfGrown()).isTrue();
    assertThat(r.collections()).isEqualTo(2);
  }

  @Test
  void aShrinkingProcessLowersTheBaselineAndZeroTurnsItOff() {
    AtomicLong resident = new AtomicLong(2000 * MB);
    AtomicInteger collected = new AtomicInteger();
    NativeMemoryReclaimer r = new NativeMemoryReclaimer(resident::get, collected::incrementAndGet, 512 * MB);
    r.reclaimIfGrown();
    resident.set(1000 * MB); // memory given back without us (a collection of its own)
    r.reclaimIfGrown();
    resident.set(1600 * MB);
    assertThat(r.reclaimIfGrown()).isTrue(); // measured from 1000, not 2000

    NativeMemoryReclaimer off = new NativeMemoryReclaimer(resident::get, collected::incrementAndGet, 0);
    off.reclaimIfGrown();
    resident.set(100_000 * MB);
    assertThat(off.reclaimIfGrown()).isFalse();
    assertThat(collected).hasValue(1);
  }

  @Test
  void theProcessReaderReportsThisProcessesResidentSize() {
    long resident = Pointer.physicalBytes();
    assertThat(resident).isGreaterThan(16 * MB).isLessThan(Runtime.getRuntime().maxMemory() + 64L * 1024 * MB);
  }
}
