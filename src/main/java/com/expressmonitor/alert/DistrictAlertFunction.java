package com.expressmonitor.alert;

import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.district.DistrictMetrics;
import com.expressmonitor.district.DistrictSummaryAccumulator;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Raises, escalates, de-escalates and resolves alerts per district and facility type as metrics records arrive.
 *
 * <p>A key's metrics come from one window subtask over one channel, in window order, so no re-ordering is needed.
 * The state is dropped whenever every kind is back to NONE.
 */
public class DistrictAlertFunction extends KeyedProcessFunction<String, DistrictMetrics, Alert> {
    private static final long serialVersionUID = 1L;
    public static final String ACC_ALERTS = "alerts";
    public static final String ACC_ALERT_SUMMARY = "alert-summary";

    private final AlertEvaluator evaluator;
    private transient ValueState<AlertState> state;
    private transient LongCounter alertCount;
    private transient DistrictSummaryAccumulator summary;
    private transient Counter yellowRaised;
    private transient Counter redRaised;
    private transient Counter resolved;

    public DistrictAlertFunction(MonitorConfig config) {
        this.evaluator = new AlertEvaluator(config);
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("alert-levels", AlertState.class));
        alertCount = new LongCounter();
        summary = new DistrictSummaryAccumulator();
        getRuntimeContext().addAccumulator(ACC_ALERTS, alertCount);
        getRuntimeContext().addAccumulator(ACC_ALERT_SUMMARY, summary);
        var group = getRuntimeContext().getMetricGroup().addGroup("expressMonitor");
        yellowRaised = group.counter("alertsYellow");
        redRaised = group.counter("alertsRed");
        resolved = group.counter("alertsResolved");
    }

    @Override
    public void processElement(DistrictMetrics metrics, Context ctx, Collector<Alert> out) throws Exception {
        AlertState s = state.value();
        if (s == null) {
            s = new AlertState();
        }
        evaluator.evaluate(s, metrics, alert -> {
            alertCount.add(1);
            if (alert.status() == AlertStatus.OPEN || alert.status() == AlertStatus.ESCALATED) {
                summary.addRaised(metrics.key(), alert.level() == AlertLevel.RED);
            }
            switch (alert.level()) {
                case YELLOW -> yellowRaised.inc();
                case RED -> redRaised.inc();
                default -> resolved.inc();
            }
            out.collect(alert);
        });
        if (s.allNone()) {
            state.clear();
        } else {
            state.update(s);
        }
    }
}
