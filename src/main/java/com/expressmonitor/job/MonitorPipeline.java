package com.expressmonitor.job;

import com.expressmonitor.alert.Alert;
import com.expressmonitor.alert.DistrictAlertFunction;
import com.expressmonitor.alert.RuleCoordinator;
import com.expressmonitor.alert.RuleUpdateRecord;
import com.expressmonitor.alert.RuleVersion;
import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.district.DeltaSum;
import com.expressmonitor.district.DeltaWindowAssigner;
import com.expressmonitor.district.DistrictDelta;
import com.expressmonitor.district.DistrictMetrics;
import com.expressmonitor.district.DistrictMetricsFunction;
import com.expressmonitor.event.ScanClassifier;
import com.expressmonitor.event.ScanEvent;
import com.expressmonitor.event.ScanEventSerializer;
import com.expressmonitor.event.ScanRecord;
import com.expressmonitor.io.Outputs;
import com.expressmonitor.parcel.ParcelTracker;
import com.expressmonitor.parcel.ParcelTrackerOperator;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;
import java.util.Map;

/**
 * Builds the one monitoring topology that the cluster job, the demo, file replays, the benchmark and the tests
 * all run: source, classification, per-parcel tracking, district windows, alerts with the rules in force, and the
 * outputs (the four of SPEC §5 and the results of rule updates).
 *
 * <p>The alert rules: a coordinator of parallelism 1 ({@link RuleCoordinator}) reads the rule updates (the Kafka
 * control topic, or an empty input) and the watermark of the metrics, decides each update and broadcasts every new
 * version of the rules with the windows it applies to; the alert operator keeps the versions in broadcast state and
 * evaluates each window with the version in force for it. Metrics records are written as the alert operator passes
 * them on, named from those same rules.
 */
public final class MonitorPipeline {
    private MonitorPipeline() {}

    /**
     * Flink options every run of the topology uses:
     * <ul>
     *   <li>no generic (Kryo) types;</li>
     *   <li>object reuse between chained operators, which is safe here because no function keeps or changes a record
     *       it was given (every emitted record is new) and saves a deep copy of each scan record between the source
     *       and the classifier;</li>
     *   <li>a fixed maximum parallelism, the number of key groups of the keyed state: a savepoint can then be
     *       restored at any parallelism up to it, now and after an upgrade;</li>
     *   <li>no generated operator ids: building the job fails if an operator lacks its uid, which a savepoint needs
     *       to find its state again.</li>
     * </ul>
     */
    public static Map<String, String> flinkDefaults() {
        return Map.of("pipeline.generic-types", "false", "pipeline.object-reuse", "true",
                "pipeline.max-parallelism", String.valueOf(MAX_PARALLELISM), "pipeline.auto-generate-uids", "false");
    }

    /** The number of key groups of the keyed state; the highest parallelism the job can be rescaled to. */
    public static final int MAX_PARALLELISM = 128;

    /**
     * Adds the topology to {@code env}, reading from {@code input} and writing to {@code outputs}, with the rules of the
     * configuration file throughout.
     */
    public static void build(StreamExecutionEnvironment env, MonitorConfig config, ScanInput input, Outputs outputs) {
        build(env, config, input, RuleInput.none(), outputs, new ParcelTracker(config));
    }

    /** The same topology with the given per-parcel function (the fault-injection tests pass one that fails on purpose). */
    public static void build(StreamExecutionEnvironment env, MonitorConfig config, ScanInput input, Outputs outputs,
            ParcelTracker tracker) {
        build(env, config, input, RuleInput.none(), outputs, tracker);
    }

    /** Adds the topology, with the rule updates of {@code rules}. */
    public static void build(StreamExecutionEnvironment env, MonitorConfig config, ScanInput input, RuleInput rules,
            Outputs outputs) {
        build(env, config, input, rules, outputs, new ParcelTracker(config));
    }

    /**
     * The topology with the given rule updates and per-parcel function (everything but the fault-injection tests runs
     * {@code new ParcelTracker(config)}).
     */
    public static void build(StreamExecutionEnvironment env, MonitorConfig config, ScanInput input, RuleInput rules,
            Outputs outputs, ParcelTracker tracker) {
        DataStream<ScanRecord> records = env.fromSource(input.source(),
                watermarks(config, input, Duration.ofMillis(env.getConfig().getAutoWatermarkInterval())), input.name())
                .uid(input.uid());

        RuntimeExecutionMode mode = env.getConfiguration().get(ExecutionOptions.RUNTIME_MODE);
        long scansEdge = edgeBufferTimeout(mode, env.getBufferTimeout(), SCAN_EDGE_BUFFER_TIMEOUT_MS);
        long sparse = edgeBufferTimeout(mode, env.getBufferTimeout(), SPARSE_EDGE_BUFFER_TIMEOUT_MS);
        SingleOutputStreamOperator<ScanEvent> onTime = records
                .process(new ScanClassifier(config.outOfOrdernessMillis()), ScanEventSerializer.TYPE)
                .uid("classify-scans")
                .name("Classify scans: dead letter, late, on time")
                .setBufferTimeout(scansEdge);

        DataStream<DistrictDelta> deltas = onTime
                .keyBy(ScanEvent::waybillNo)
                .transform("Track parcel stays", TypeInformation.of(DistrictDelta.class),
                        new ParcelTrackerOperator(tracker))
                .uid("parcel-tracker")
                .name("Track parcel stays")
                .setBufferTimeout(sparse);

        SingleOutputStreamOperator<DistrictMetrics> metrics = deltas
                .keyBy(d -> d.key)
                .window(new DeltaWindowAssigner(config.windowSizeMillis()))
                .aggregate(new DeltaSum(), new DistrictMetricsFunction(config))
                .uid("district-metrics")
                .name("District metrics per window")
                .setBufferTimeout(sparse);

        // The coordinator needs the metrics' watermark only: the records stay here (a filter chained to the windows).
        DataStream<DistrictMetrics> metricsTime = metrics
                .filter(m -> false)
                .uid("district-metrics-time")
                .name("Metrics watermark for the alert rules")
                .setBufferTimeout(sparse);
        SingleOutputStreamOperator<RuleVersion> versions = ruleUpdates(env, rules)
                .connect(metricsTime)
                .transform("Alert rules: updates and versions", TypeInformation.of(RuleVersion.class),
                        new RuleCoordinator(config.rules(), rules.timed(), rules.timedFile(), rules.resetToFile(),
                                config.windowSizeMillis(), config.zoneOffsetSeconds()))
                .setParallelism(1)
                .uid("alert-rules")
                .name("Alert rules: updates and versions")
                .setBufferTimeout(sparse);
        BroadcastStream<RuleVersion> rulesInForce = versions.broadcast(DistrictAlertFunction.RULE_VERSIONS);

        SingleOutputStreamOperator<Alert> alerts = metrics
                .keyBy(DistrictMetrics::key)
                .connect(rulesInForce)
                .process(new DistrictAlertFunction(config))
                .uid("district-alerts")
                .name("District alerts");

        alerts.getSideOutput(DistrictAlertFunction.METRICS).sinkTo(outputs.metrics())
                .uid("sink-district-metrics").name("Write district metrics");
        alerts.sinkTo(outputs.alerts()).uid("sink-alerts").name("Write alerts");
        onTime.getSideOutput(ScanClassifier.DEAD_LETTERS).sinkTo(outputs.deadLetters())
                .uid("sink-dead-letter").name("Write dead letters");
        onTime.getSideOutput(ScanClassifier.LATE_EVENTS).sinkTo(outputs.lateEvents())
                .uid("sink-late-events").name("Write late events");
        versions.getSideOutput(RuleCoordinator.RESULTS).sinkTo(outputs.ruleResults())
                .setParallelism(1) // a handful of records, all from the one coordinator
                .uid("sink-rule-updates").name("Write rule-update results");
    }

    /**
     * Most milliseconds a record or watermark waits in a partly filled network buffer on the edges after the parcel
     * tracker: its sums to the district windows, the windows' metrics to the alerts, and the metrics' watermark through
     * the rule coordinator to the alerts. A window's results cross those three edges one after the other once the
     * watermark has passed its end, and they carry a few records per window where the scans' edge carries every scan,
     * so their buffers rarely fill: each would hold a window's results for up to Flink's buffer timeout (100 ms unless
     * set), about a sixth of a second of the p50 from a window's end to its outputs. Flushing these few records
     * sooner costs nothing measurable.
     */
    static final long SPARSE_EDGE_BUFFER_TIMEOUT_MS = 10;

    /**
     * Most milliseconds a scan or watermark waits in a partly filled buffer on the scans' edge into the tracker. Under
     * load its buffers fill sooner than that by themselves; with fewer scans (a quiet night) a watermark that closes
     * windows would wait there for up to Flink's 100 ms. 25 ms took about 35 ms off the p50 and the p99 after the
     * start at 5,000 scans/s, at no measurable cost to a replay; 10 ms (the whole job at 10 ms) flushed the scans'
     * buffers half filled at full speed and cost a replay about 5 % (see Performance).
     */
    static final long SCAN_EDGE_BUFFER_TIMEOUT_MS = 25;

    /**
     * The buffer timeout of an edge: at most {@code most}, or the job's own if that is shorter, -1 (flush only full
     * buffers) included. In another mode than streaming -1, the job's own setting (a batch exchange refuses any
     * timeout).
     */
    static long edgeBufferTimeout(RuntimeExecutionMode mode, long configured, long most) {
        return mode == RuntimeExecutionMode.STREAMING ? Math.min(configured, most) : -1;
    }

    /**
     * The live rule updates, read at parallelism 1 without watermarks (their time says nothing about the windows);
     * without them an empty input, so that every run has the same operators.
     */
    private static DataStream<RuleUpdateRecord> ruleUpdates(StreamExecutionEnvironment env, RuleInput rules) {
        if (rules.source() != null) {
            return env.fromSource(rules.source(), WatermarkStrategy.noWatermarks(), rules.name())
                    .setParallelism(1)
                    .uid(rules.uid());
        }
        return env.fromSource(new NumberSequenceSource(0, 0), WatermarkStrategy.noWatermarks(), rules.name())
                .setParallelism(1)
                .uid(rules.uid())
                .<RuleUpdateRecord>flatMap((n, out) -> { }, TypeInformation.of(RuleUpdateRecord.class))
                .setParallelism(1)
                .uid(rules.uid() + "-records")
                .name(rules.name());
    }

    /**
     * Watermarks per input partition (the strategy goes into {@code fromSource}), from valid records only: a
     * rejected record must not move a partition's watermark. They stay one millisecond behind the lateness bound, so
     * a record that is not late is never behind the watermark. Readers compare their watermarks for the alignment as
     * often as they emit them ({@code pipeline.auto-watermark-interval}: 100 ms in the configurations, Flink's 200 ms
     * unless set): a reader that has run ahead reads at most that long before it pauses.
     */
    static WatermarkStrategy<ScanRecord> watermarks(MonitorConfig config, ScanInput input, Duration interval) {
        WatermarkStrategy<ScanRecord> strategy = WatermarkStrategy
                .<ScanRecord>forBoundedOutOfOrderness(Duration.ofMillis(config.outOfOrdernessMillis()))
                .withTimestampAssigner((r, previous) -> r.event != null ? r.event.eventTime() : Long.MIN_VALUE);
        if (config.maxDriftMillis() > 0) {
            // An input partition (a Kafka partition, a replay file, a generator share) whose watermark runs more than
            // max-drift ahead of the slowest pauses until the others catch up: otherwise its scans would wait for
            // the watermark in the parcel tracker, as many as it can read ahead (a catch-up, a slow partition).
            strategy = strategy.withWatermarkAlignment(ALIGNMENT_GROUP, Duration.ofMillis(config.maxDriftMillis()),
                    interval.isZero() || interval.isNegative() ? Duration.ofMillis(200) : interval);
        }
        return input.partitionsMayIdle() && config.idlenessMillis() > 0
                ? strategy.withIdleness(Duration.ofMillis(config.idlenessMillis())) : strategy;
    }

    private static final String ALIGNMENT_GROUP = "express-monitor-scans";
}
