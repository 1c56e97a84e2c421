package com.expressmonitor.alert;

import com.expressmonitor.accounting.CheckpointedCounts;
import com.expressmonitor.config.ConfigLoader;
import com.expressmonitor.config.LocalTimes;
import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.config.PeakSeason;
import com.expressmonitor.config.Rules;
import com.expressmonitor.district.DistrictMetrics;
import com.expressmonitor.district.DistrictSummaryAccumulator;
import com.expressmonitor.metrics.AlertGauges;
import com.expressmonitor.metrics.DistrictLabels;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Raises, escalates, de-escalates and resolves alerts per district and facility type as metrics records arrive,
 * with the alert rules in force for each window, and publishes the level held and the thresholds in force as gauges
 * ({@link AlertGauges}).
 *
 * <p>Two inputs: the metrics records, keyed by district and facility type, and the versions of the alert rules
 * ({@link RuleVersion}), broadcast to every subtask by the {@link RuleCoordinator}. The versions are kept in broadcast
 * state (the same on every subtask, so a rescale keeps them), with the instant from which each applies; a window
 * uses the newest version in effect at its start ({@link RuleHistory}). A metrics record waits in keyed state until
 * this operator's watermark passes its window's end: the watermark of the rules input follows every version the
 * coordinator sends, so by then the version meant for the window has arrived, however the two inputs interleave.
 * Versions no window left to evaluate can use are dropped as new ones arrive.
 *
 * <p>Each record is passed on (side output {@link #METRICS}) with the district's name and the season from the rules
 * it was evaluated with, and each alert carries their version. A key's metrics come from one window subtask over
 * one channel, in window order. The alert levels are dropped whenever every kind is back to NONE. The run's alert
 * counts and the alerts of its district summary are checkpointed, so that they stay exact after a restart.
 */
public class DistrictAlertFunction extends KeyedBroadcastProcessFunction<String, DistrictMetrics, RuleVersion, Alert>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    public static final String ACC_ALERTS = "alerts";
    public static final String ACC_ALERT_SUMMARY = "alert-summary";
    /** The versions of the rules by version number: the broadcast state. */
    public static final MapStateDescriptor<Long, RuleVersion> RULE_VERSIONS =
            new MapStateDescriptor<>("rule-versions", Types.LONG, TypeInformation.of(RuleVersion.class));
    /** The metrics records as evaluated, named from the rules in force for their window. */
    public static final OutputTag<DistrictMetrics> METRICS =
            new OutputTag<>("district-metrics", TypeInformation.of(DistrictMetrics.class));

    private final AlertEvaluator evaluator;
    private final Rules fileRules;
    private final Set<String> configuredDistricts;
    private final long windowSize;
    private final int offsetSeconds;
    private transient ValueState<AlertState> state;
    /** For a district published under "other": the run of the subtask in which its levels were counted. */
    private transient ValueState<Long> otherRun;
    /** Metrics records waiting for the watermark to pass their window's end. */
    private transient ListState<DistrictMetrics> pending;
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
    /** Districts named by the newest restored rules, which get their own gauge labels like the file's. */
    private transient Set<String> restoredDistricts;
    /** The broadcast state as a history; rebuilt after each change. */
    private transient RuleHistory history;
    /** Rules read from their JSON, by version. */
    private transient Map<Long, Rules> parsed;

    public DistrictAlertFunction(MonitorConfig config) {
        this.evaluator = new AlertEvaluator(config);
        this.fileRules = config.rules();
        this.configuredDistricts = Set.copyOf(config.districts().keySet());
        this.windowSize = config.windowSizeMillis();
        this.offsetSeconds = config.zoneOffsetSeconds();
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("alert-levels", AlertState.class));
        otherRun = getRuntimeContext().getState(new ValueStateDescriptor<>("other-district-run", Long.class));
        pending = getRuntimeContext().getListState(new ListStateDescriptor<>("pending-metrics", DistrictMetrics.class));
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
        Set<String> labelled = new HashSet<>(configuredDistricts);
        if (restoredDistricts != null) {
            labelled.addAll(restoredDistricts);
        }
        gauges = new AlertGauges(group, new DistrictLabels(labelled, DistrictLabels.MAX_OTHERS));
        parsed = new HashMap<>();
        history = null;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        counts = new CheckpointedCounts("alert-counts", 7);
        counts.initialize(context.getOperatorStateStore());
        summary = new DistrictSummaryAccumulator();
        summary.initialize(context.getOperatorStateStore(), "alert-summary");
        RuleVersion newest = RuleHistory.of(versionsIn(context.getOperatorStateStore().getBroadcastState(RULE_VERSIONS)))
                .newest();
        restoredDistricts = newest == null ? Set.of() : ConfigLoader.rulesFromJson(newest.rules).districts().keySet();
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        counts.snapshot(alertCount.getLocalValue(), yellowRaised.getCount(), redRaised.getCount(), resolved.getCount(),
                opened.getCount(), escalated.getCount(), deescalated.getCount());
        summary.snapshot();
    }

    @Override
    public void processElement(DistrictMetrics metrics, ReadOnlyContext ctx, Collector<Alert> out) throws Exception {
        pending.add(metrics);
        ctx.timerService().registerEventTimeTimer(metrics.windowEnd() - 1);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        List<DistrictMetrics> due = new ArrayList<>();
        List<DistrictMetrics> waiting = new ArrayList<>();
        for (DistrictMetrics m : pending.get()) {
            (m.windowEnd() - 1 <= timestamp ? due : waiting).add(m);
        }
        if (waiting.isEmpty()) {
            pending.clear();
        } else {
            pending.update(waiting);
        }
        due.sort(Comparator.comparingLong(DistrictMetrics::windowEnd));
        for (DistrictMetrics m : due) {
            evaluate(m, ctx.getBroadcastState(RULE_VERSIONS), ctx, out);
        }
    }

    @Override
    public void processBroadcastElement(RuleVersion version, Context ctx, Collector<Alert> out) throws Exception {
        BroadcastState<Long, RuleVersion> versions = ctx.getBroadcastState(RULE_VERSIONS);
        versions.put(version.version, version);
        // Every record still to be evaluated here ends after the watermark, so it starts at or after watermark + 2 ms
        // minus a window: versions superseded before that instant are needed by no window any more. Subtasks drop
        // versions at slightly different moments, but with aligned checkpoints (the job's) every subtask's watermark
        // is the same at a checkpoint, so whichever copy a subtask restores after a rescale holds every version its
        // waiting records need.
        long watermark = ctx.currentWatermark();
        long earliestStart = watermark == Long.MIN_VALUE || watermark == Long.MAX_VALUE ? watermark
                : watermark + 2 - windowSize;
        for (Long superseded : RuleHistory.of(versionsIn(versions)).supersededBefore(earliestStart)) {
            versions.remove(superseded);
            parsed.remove(superseded);
        }
        history = null;
    }

    /** Evaluates one window with the rules in force for it. */
    private void evaluate(DistrictMetrics m, ReadOnlyBroadcastState<Long, RuleVersion> versions, OnTimerContext ctx,
            Collector<Alert> out) throws Exception {
        if (history == null) {
            history = RuleHistory.of(versionsIn(versions));
        }
        RuleVersion version = history.inForce(m.windowStart());
        // No version yet only when the coordinator has sent none (a function run on its own): the file's rules.
        Rules rules = version == null ? fileRules : parsed.computeIfAbsent(version.version,
                v -> ConfigLoader.rulesFromJson(version.rules));
        long rulesVersion = version == null ? 0 : version.version;
        PeakSeason season = rules.seasonOn(LocalTimes.localDate(m.windowStart(), offsetSeconds));
        DistrictMetrics metrics = new DistrictMetrics(m.district(), rules.districtName(m.district()), m.facilityType(),
                m.windowStart(), m.windowEnd(), m.arrivals(), m.departures(), m.deliveries(), m.exceptions(),
                m.backlog(), m.stuck(), season == null ? null : season.name());
        ctx.output(METRICS, metrics);

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
        ThresholdsInForce inForce = evaluator.evaluate(rules, rulesVersion, s, metrics, alert -> {
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

    private static List<RuleVersion> versionsIn(ReadOnlyBroadcastState<Long, RuleVersion> state) throws Exception {
        List<RuleVersion> versions = new ArrayList<>();
        for (Map.Entry<Long, RuleVersion> e : state.immutableEntries()) {
            versions.add(e.getValue());
        }
        return versions;
    }
}
