package com.expressmonitor.district;

import com.expressmonitor.accounting.CheckpointedCounts;
import com.expressmonitor.config.LocalTimes;
import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.config.PeakSeason;
import com.expressmonitor.event.FacilityType;
import com.expressmonitor.metrics.DistrictGauges;
import com.expressmonitor.metrics.DistrictLabels;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Turns a window's summed changes into its metrics record: backlog and stuck run on from window to window (the
 * window operator fires a key's windows in time order), and a record is emitted only for windows with activity.
 *
 * <p>The running totals are the only state kept across windows: two numbers per district and facility type (and,
 * for a district whose gauges are published under {@value DistrictLabels#OTHER}, the run in which its totals were
 * last added to that label's sums; see {@link DistrictGauges}). The run's count of metrics records and its district
 * summary are checkpointed, so that they stay exact after a restart.
 */
public class DistrictMetricsFunction extends ProcessWindowFunction<DistrictDelta, DistrictMetrics, String, TimeWindow>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    public static final String ACC_METRICS = "metrics";
    public static final String ACC_DISTRICTS = "district-summary";

    private final MonitorConfig config;
    private transient ValueStateDescriptor<RunningTotals> totalsDescriptor;
    private transient LongCounter metricsCount;
    private transient DistrictSummaryAccumulator summary;
    private transient ValueStateDescriptor<Long> otherRunDescriptor;
    private transient Counter metricsEmitted;
    private transient DistrictGauges gauges;
    /** {metrics records}, restored after a restart. */
    private transient CheckpointedCounts counts;

    public DistrictMetricsFunction(MonitorConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext openContext) {
        totalsDescriptor = new ValueStateDescriptor<>("running-totals", RunningTotals.class);
        metricsCount = new LongCounter();
        if (summary == null) { // not restored (a function run on its own)
            summary = new DistrictSummaryAccumulator();
            counts = new CheckpointedCounts("metrics-counts", 1);
        }
        metricsCount.add(counts.restored(0));
        getRuntimeContext().addAccumulator(ACC_METRICS, metricsCount);
        getRuntimeContext().addAccumulator(ACC_DISTRICTS, summary);
        otherRunDescriptor = new ValueStateDescriptor<>("other-district-run", Long.class);
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("expressMonitor");
        metricsEmitted = group.counter("metricsEmitted");
        metricsEmitted.inc(counts.restored(0));
        gauges = new DistrictGauges(group, new DistrictLabels(config.districts().keySet(), DistrictLabels.MAX_OTHERS));
    }

    @Override
    public void process(String key, Context ctx, Iterable<DistrictDelta> sums, Collector<DistrictMetrics> out)
            throws Exception {
        DistrictDelta sum = sums.iterator().next();
        ValueState<RunningTotals> state = ctx.globalState().getState(totalsDescriptor);
        RunningTotals totals = state.value();
        if (totals == null) {
            totals = new RunningTotals();
        }
        totals.backlog += sum.backlog;
        totals.stuck += sum.stuck;
        boolean quiet = totals.backlog == 0 && totals.stuck == 0;
        if (quiet) {
            state.clear(); // nothing open: keep no state for a quiet district
        } else {
            state.update(totals);
        }
        String district = DistrictDelta.districtOf(key);
        FacilityType type = DistrictDelta.typeOf(key);
        publishTotals(ctx, district, type, sum, totals);
        if (quiet) {
            // Contributes nothing to the gauges now; seen again, it starts from empty totals. Cleared whatever its
            // label is now, so that a mark from a run in which it was under "other" does not stay behind.
            ctx.globalState().getState(otherRunDescriptor).clear();
        }
        if (!sum.hasActivity()) {
            return;
        }
        TimeWindow w = ctx.window();
        PeakSeason season = config.seasonOn(LocalTimes.localDate(w.getStart(), config.zoneOffsetSeconds()));
        DistrictMetrics m = new DistrictMetrics(district, config.districtName(district), type, w.getStart(), w.getEnd(),
                sum.arrivals, sum.departures, sum.deliveries, sum.exceptions, totals.backlog, totals.stuck,
                season == null ? null : season.name());
        metricsCount.add(1);
        metricsEmitted.inc();
        gauges.window(m);
        summary.add(m);
        out.collect(m);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        counts = new CheckpointedCounts("metrics-counts", 1);
        counts.initialize(context.getOperatorStateStore());
        summary = new DistrictSummaryAccumulator();
        summary.initialize(context.getOperatorStateStore(), "district-summary");
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        counts.snapshot(metricsCount.getLocalValue());
        summary.snapshot();
    }

    /**
     * Passes the key's open and stuck stays to its gauges. For a district published under
     * {@value DistrictLabels#OTHER} the sums take this window's changes, or the whole totals the first time the
     * district is seen in this run of the subtask (its earlier totals came back from a checkpoint).
     */
    private void publishTotals(Context ctx, String district, FacilityType type, DistrictDelta sum, RunningTotals totals)
            throws Exception {
        if (!gauges.isOther(district)) {
            gauges.totals(district, type, totals.backlog, totals.stuck);
            return;
        }
        ValueState<Long> counted = ctx.globalState().getState(otherRunDescriptor);
        Long run = counted.value();
        boolean first = run == null || run != gauges.runId();
        gauges.addToOther(type, first ? totals.backlog : sum.backlog, first ? totals.stuck : sum.stuck);
        if (first) {
            counted.update(gauges.runId());
        }
    }
}
