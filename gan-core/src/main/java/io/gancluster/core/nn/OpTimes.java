package io.gancluster.core.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Wall time per SameDiff op, keyed by op name and the shape of its first output (so the same op at
 * different layers stays apart), for `gan bench --ops`. Attach it with {@link Network#listen}; graphs
 * running on several threads at once are timed per thread, so overlapping ops count in full on each.
 */
public final class OpTimes extends BaseListener {
  private final Map<String, LongAdder[]> byOp = new ConcurrentHashMap<>();
  private final ThreadLocal<long[]> started = ThreadLocal.withInitial(() -> new long[1]);

  /** One op's totals: its key, nanoseconds and executions. */
  public record Entry(String op, long nanos, long count) {}

  @Override
  public boolean isActive(Operation operation) {
    return true;
  }

  @Override
  public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext opContext) {
    started.get()[0] = System.nanoTime();
  }

  @Override
  public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext opContext,
      INDArray[] outputs) {
    long nanos = System.nanoTime() - started.get()[0];
    String key = op.getOp().opName();
    if (outputs != null && outputs.length > 0 && outputs[0] != null) {
      key += " " + Arrays.toString(outputs[0].shape());
    }
    LongAdder[] v = byOp.computeIfAbsent(key, k -> new LongAdder[] {new LongAdder(), new LongAdder()});
    v[0].add(nanos);
    v[1].increment();
  }

  /** Every op seen so far, most time first. */
  public List<Entry> entries() {
    List<Entry> list = new ArrayList<>();
    byOp.forEach((k, v) -> list.add(new Entry(k, v[0].sum(), v[1].sum())));
    list.sort((a, b) -> Long.compare(b.nanos(), a.nanos()));
    return list;
  }
}
