package com.expressmonitor.accounting;

import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.OperatorStateStore;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;

import java.util.List;

/**
 * A few counts of an operator kept in its checkpoints, so that a run's accumulators and metrics go on from them
 * after a restart instead of starting again at zero (and so that records read again after a restore are not counted
 * twice: the restored counts had not seen them).
 *
 * <p>Each subtask checkpoints one entry; on a change of parallelism the entries are split among the subtasks (each
 * goes to exactly one), and a subtask goes on from the sum of those it got, so the sums over all subtasks stay exact.
 */
public final class CheckpointedCounts {
    private final String name;
    private final int width;
    private ListState<long[]> state;
    private long[] restored;

    /**
     * @param name the operator state's name, unique within the operator
     * @param width how many counts
     */
    public CheckpointedCounts(String name, int width) {
        this.name = name;
        this.width = width;
        this.restored = new long[width];
    }

    /** Reads the restored entries, if any; in the operator's or function's {@code initializeState}. */
    public void initialize(OperatorStateStore store) throws Exception {
        state = store.getListState(new ListStateDescriptor<>(name, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        restored = new long[width];
        for (long[] entry : state.get()) {
            for (int i = 0; i < Math.min(width, entry.length); i++) {
                restored[i] += entry[i];
            }
        }
    }

    /** Count {@code i} as restored (0 in a first run, or before {@link #initialize}). */
    public long restored(int i) {
        return restored[i];
    }

    /** Checkpoints this subtask's counts now (restored ones included); in {@code snapshotState}. */
    public void snapshot(long... counts) throws Exception {
        state.update(List.of(counts));
    }
}
