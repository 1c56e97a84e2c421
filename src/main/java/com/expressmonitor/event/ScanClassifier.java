package com.expressmonitor.event;

import com.expressmonitor.accounting.CheckpointedCounts;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.accumulators.LongMaximum;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * Sorts each input record into dead letter, late or on-time (SPEC §3 step 1), deciding lateness per input partition
 * in the partition's own order so that a replay gives the same outcome on every run and at any parallelism.
 *
 * <p>It runs chained to the source, before any shuffle, so it sees each partition's records in their order. The
 * greatest event time per partition is checkpointed (union state: after a rescale every subtask gets all of them
 * and uses those of the partitions it reads; maxima only grow, so merging by maximum is exact).
 *
 * <p>Its counts (records in, invalid, late) are checkpointed too, and the accumulators and metrics start from them
 * after a restart, so that a run's summary and counters stay exact after any failure: a record read again after a
 * restore is counted once, as the restored state had not seen it.
 */
public class ScanClassifier extends ProcessFunction<ScanRecord, ScanEvent> implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ScanClassifier.class);

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letter") {};
    public static final OutputTag<LateEvent> LATE_EVENTS = new OutputTag<>("late-events") {};

    public static final String ACC_INPUT = "input";
    public static final String ACC_INVALID = "invalid";
    public static final String ACC_LATE = "late";
    /** The greatest valid event time read (epoch milliseconds), for the progress of a run. */
    public static final String ACC_MAX_EVENT_TIME = "max-event-time";

    private final long outOfOrdernessMillis;

    private transient Map<String, long[]> maxEventTime;
    private transient ListState<PartitionHighWater> checkpointed;
    /** {input, invalid, late}, restored after a restart. */
    private transient CheckpointedCounts counts;
    private transient LongCounter inputCount;
    private transient LongCounter invalidCount;
    private transient LongCounter lateCount;
    private transient LongMaximum greatestEventTime;
    private transient Counter inputMetric;
    private transient Counter invalidMetric;
    private transient Counter lateMetric;

    public ScanClassifier(long outOfOrdernessMillis) {
        this.outOfOrdernessMillis = outOfOrdernessMillis;
    }

    @Override
    public void open(OpenContext openContext) {
        inputCount = new LongCounter();
        invalidCount = new LongCounter();
        lateCount = new LongCounter();
        getRuntimeContext().addAccumulator(ACC_INPUT, inputCount);
        getRuntimeContext().addAccumulator(ACC_INVALID, invalidCount);
        getRuntimeContext().addAccumulator(ACC_LATE, lateCount);
        var task = getRuntimeContext().getTaskInfo();
        if (task.getAttemptNumber() > 0 && task.getIndexOfThisSubtask() == 0) {
            // Once per restart, on every run: a job that keeps failing shows in the log while it retries.
            LOG.warn("The job restarted from its last checkpoint after a failure (attempt {}); after repeated failures "
                    + "it stops and says why", task.getAttemptNumber() + 1);
        }
        greatestEventTime = new LongMaximum();
        getRuntimeContext().addAccumulator(ACC_MAX_EVENT_TIME, greatestEventTime);
        var group = getRuntimeContext().getMetricGroup().addGroup("expressMonitor");
        inputMetric = group.counter("recordsIn");
        invalidMetric = group.counter("deadLetters");
        lateMetric = group.counter("lateEvents");
        if (counts == null) {
            counts = new CheckpointedCounts("outcome-counts", 3); // a function run on its own: nothing restored
        }
        inputCount.add(counts.restored(0));
        inputMetric.inc(counts.restored(0));
        invalidCount.add(counts.restored(1));
        invalidMetric.inc(counts.restored(1));
        lateCount.add(counts.restored(2));
        lateMetric.inc(counts.restored(2));
    }

    @Override
    public void processElement(ScanRecord record, Context ctx, Collector<ScanEvent> out) {
        inputCount.add(1);
        inputMetric.inc();
        if (!record.isValid()) {
            invalidCount.add(1);
            invalidMetric.inc();
            ctx.output(DEAD_LETTERS, new DeadLetter(record.reason, record.detail, record.raw, record.source(),
                    record.headerKeys, record.headerValues));
            return;
        }
        long[] max = maxEventTime.get(record.partition);
        if (max == null) {
            max = new long[] {Long.MIN_VALUE};
            maxEventTime.put(record.partition, max);
        }
        long t = record.event.eventTime();
        long previous = max[0];
        if (t > previous) {
            max[0] = t;
            greatestEventTime.add(t);
        }
        if (previous != Long.MIN_VALUE && t < previous - outOfOrdernessMillis) {
            lateCount.add(1);
            lateMetric.inc();
            ctx.output(LATE_EVENTS, new LateEvent(record.event, record.source(), previous - outOfOrdernessMillis));
            return;
        }
        out.collect(record.event);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        checkpointed.clear();
        for (Map.Entry<String, long[]> e : maxEventTime.entrySet()) {
            checkpointed.add(new PartitionHighWater(e.getKey(), e.getValue()[0]));
        }
        counts.snapshot(inputCount.getLocalValue(), invalidCount.getLocalValue(), lateCount.getLocalValue());
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        checkpointed = context.getOperatorStateStore().getUnionListState(
                new ListStateDescriptor<>("partition-max-event-time", PartitionHighWater.class));
        maxEventTime = new HashMap<>();
        for (PartitionHighWater h : checkpointed.get()) {
            maxEventTime.merge(h.partition(), new long[] {h.maxEventTime()},
                    (a, b) -> a[0] >= b[0] ? a : b);
        }
        counts = new CheckpointedCounts("outcome-counts", 3);
        counts.initialize(context.getOperatorStateStore());
    }

    /** The greatest valid event time seen in one input partition. */
    public record PartitionHighWater(String partition, long maxEventTime) {}
}
