package com.expressmonitor.alert;

import com.expressmonitor.accounting.CheckpointedCounts;
import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.district.DistrictMetrics;
import com.expressmonitor.district.DistrictSummaryAccumulator;
import com.expressmonitor.metrics.AlertGauges;
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
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.util.Set;

/**
 * Raises, escalates, de-escalates and resolves alerts per district and facility type as metrics records arrive,
 * and publishes the level held and the thresholds in force as gauges ({@link AlertGauges}).
 *
 * <p>A key's metrics come from one window subtask over one channel, in window order, so no re-ordering is needed.
 * The state is dropped whenever every kind is back to NONE. The run's alert counts and the alerts of its district
 * summary are checkpointed, so that they stay exact after a restart.
 */
public class DistrictAlertFunction extends KeyedProcessFunction<String, DistrictMetrics, Alert>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    public static final String ACC_ALERTS = "alerts";
    public static final String ACC_ALERT_SUMMARY = "alert-summary";

    private final AlertEvaluator evaluator;
    private final Set<String> configuredDistricts;
    private transient ValueState<AlertState> state;
    /** For a district published under "other": the run of the subtask in which its levels were counted. */
    private transient ValueState<Long> otherRun;
    private transient LongCounter alertCount;
    private transient DistrictSummaryAccumulator summary;
    private transient Counter yellowRaised;
    private transient Counter redRaised;
    private transient Counter resolved;
    private transient Counter opened;
    private transient Counter escalated;
    private transient Counter deescalated;
    private transient AlertGauges gauges;
    /** {alerts, yellow, red, resolved, opened, escalated, de-escalated}, restored after a restart. */
    private transient CheckpointedCounts counts;

    public DistrictAlertFunction(MonitorConfig config) {
        this.evaluator = new AlertEvaluator(config);
        this.configuredDistricts = Set.copyOf(config.districts().keySet());
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("alert-levels", AlertState.class));
        otherRun = getRuntimeContext().getState(new ValueStateDescriptor<>("other-district-run", Long.class));
        alertCount = new LongCounter();
        if (summary == null) { // not restored (a function run on its own)
            summary = new DistrictSummaryAccumulator();
            counts = new CheckpointedCounts("alert-counts", 7);
        }
        alertCount.add(counts.restored(0));
        getRuntimeContext().addAccumulator(ACC_ALERTS, alertCount);
        getRuntimeContext().addAccumulator(ACC_ALERT_SUMMARY, summary);
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("expressMonitor");
        yellowRaised = group.counter("alertsYellow");
        redRaised = group.counter("alertsRed");
        resolved = group.counter("alertsResolved");
        opened = group.counter("alertsOpened");
        escalated = group.counter("alertsEscalated");
        deescalated = group.counter("alertsDeescalated");
        Counter[] counters = {yellowRaised, redRaised, resolved, opened, escalated, deescalated};
        for (int i = 0; i < counters.length; i++) {
            counters[i].inc(counts.restored(i + 1));
        }
        gauges = new AlertGauges(group, new DistrictLabels(configuredDistricts, DistrictLabels.MAX_OTHERS));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        counts = new CheckpointedCounts("alert-counts", 7);
        counts.initialize(context.getOperatorStateStore());
        summary = new DistrictSummaryAccumulator();
        summary.initialize(context.getOperatorStateStore(), "alert-summary");
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        counts.snapshot(alertCount.getLocalValue(), yellowRaised.getCount(), redRaised.getCount(), resolved.getCount(),
                opened.getCount(), escalated.getCount(), deescalated.getCount());
        summary.snapshot();
    }

    @Override
    public void processElement(DistrictMetrics metrics, Context ctx, Collector<Alert> out) throws Exception {
        AlertState s = state.value();
        if (s == null) {
            s = new AlertState();
        }
        boolean other = gauges.isOther(metrics.district());
        boolean firstAsOther = false;
        if (other) {
            Long run = otherRun.value();
            firstAsOther = run == null || run != gauges.runId();
            if (firstAsOther) {
                gauges.countOther(metrics.facilityType(), s.levels); // held since before this run
            }
        }
        ThresholdsInForce inForce = evaluator.evaluate(s, metrics, alert -> {
            alertCount.add(1);
            if (alert.status() == AlertStatus.OPEN || alert.status() == AlertStatus.ESCALATED) {
                summary.addRaised(metrics.key(), alert.level() == AlertLevel.RED);
            }
            switch (alert.level()) {
                case YELLOW -> yellowRaised.inc();
                case RED -> redRaised.inc();
                default -> resolved.inc();
            }
            switch (alert.status()) {
                case OPEN -> opened.inc();
                case ESCALATED -> escalated.inc();
                case DEESCALATED -> deescalated.inc();
                default -> { } // RESOLVED: counted above
            }
            if (other) {
                gauges.otherChanged(alert.facilityType(), alert.kind(), alert.previousLevel(), alert.level());
            }
            out.collect(alert);
        });
        if (other) {
            gauges.otherEvaluated(metrics.facilityType(), inForce);
        } else {
            gauges.evaluated(metrics.district(), metrics.facilityType(), s.levels, inForce);
        }
        if (s.allNone()) {
            state.clear();
            // Holds nothing now: seen again, it starts from NONE. Cleared whatever its label is now, because a mark
            // left from a run in which it was under "other" would otherwise stay. (One record per district and
            // window comes here: the extra delete costs nothing that matters.)
            otherRun.clear();
        } else {
            state.update(s);
            if (firstAsOther) {
                otherRun.update(gauges.runId());
            }
        }
    }
}
