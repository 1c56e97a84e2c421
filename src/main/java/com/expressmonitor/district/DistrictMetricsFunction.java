package com.expressmonitor.district;

import com.expressmonitor.config.LocalTimes;
import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.config.PeakSeason;
import com.expressmonitor.event.FacilityType;
import com.expressmonitor.district.DistrictSummaryAccumulator;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;

/**
 * Turns a window's summed changes into its metrics record: backlog and stuck run on from window to window (the
 * window operator fires a key's windows in time order), and a record is emitted only for windows with activity.
 *
 * <p>The running totals are the only state kept across windows: two numbers per district and facility type.
 */
public class DistrictMetricsFunction extends ProcessWindowFunction<DistrictDelta, DistrictMetrics, String, TimeWindow> {
    private static final long serialVersionUID = 1L;
    public static final String ACC_METRICS = "metrics";
    public static final String ACC_DISTRICTS = "district-summary";

    private final MonitorConfig config;
    private transient ValueStateDescriptor<RunningTotals> totalsDescriptor;
    private transient LongCounter metricsCount;
    private transient DistrictSummaryAccumulator summary;
    private transient Counter metricsEmitted;
    private transient MetricGroup group;
    /** Latest figures per key, read by the per-district gauges. */
    private transient Map<String, DistrictMetrics> latest;

    public DistrictMetricsFunction(MonitorConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext openContext) {
        totalsDescriptor = new ValueStateDescriptor<>("running-totals", RunningTotals.class);
        metricsCount = new LongCounter();
        summary = new DistrictSummaryAccumulator();
        getRuntimeContext().addAccumulator(ACC_METRICS, metricsCount);
        getRuntimeContext().addAccumulator(ACC_DISTRICTS, summary);
        group = getRuntimeContext().getMetricGroup().addGroup("expressMonitor");
        metricsEmitted = group.counter("metricsEmitted");
        latest = new ConcurrentHashMap<>(); // gauges are read from the metrics reporter thread
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
        if (totals.backlog == 0 && totals.stuck == 0) {
            state.clear(); // nothing open: keep no state for a quiet district
        } else {
            state.update(totals);
        }
        if (!sum.hasActivity()) {
            return;
        }
        TimeWindow w = ctx.window();
        String district = DistrictDelta.districtOf(key);
        FacilityType type = DistrictDelta.typeOf(key);
        PeakSeason season = config.seasonOn(LocalTimes.localDate(w.getStart(), config.zoneOffsetSeconds()));
        DistrictMetrics m = new DistrictMetrics(district, config.districtName(district), type, w.getStart(), w.getEnd(),
                sum.arrivals, sum.departures, sum.deliveries, sum.exceptions, totals.backlog, totals.stuck,
                season == null ? null : season.name());
        metricsCount.add(1);
        metricsEmitted.inc();
        publish(key, m);
        summary.add(m);
        out.collect(m);
    }

    /**
     * Keeps the latest window's figures of each district and facility type as gauges (registered when the key is
     * first seen; at most two per district), so dashboards can chart backlog and throughput per district.
     */
    private void publish(String key, DistrictMetrics m) {
        if (latest.put(key, m) == null) {
            MetricGroup g = group.addGroup("district", m.district()).addGroup("facilityType", m.facilityType().name());
            g.gauge("backlog", (Gauge<Long>) () -> latest.get(key).backlog());
            g.gauge("stuck", (Gauge<Long>) () -> latest.get(key).stuck());
            g.gauge("arrivals", (Gauge<Long>) () -> latest.get(key).arrivals());
            g.gauge("departures", (Gauge<Long>) () -> latest.get(key).departures());
            g.gauge("windowEnd", (Gauge<Long>) () -> latest.get(key).windowEnd());
        }
    }
}
