package com.expressmonitor.job;

import com.expressmonitor.alert.Alert;
import com.expressmonitor.alert.DistrictAlertFunction;
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

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;
import java.util.Map;

/**
 * Builds the one monitoring topology that the cluster job, the demo, file replays, the benchmark and the tests
 * all run: source, classification, per-parcel tracking, district windows, alerts, and the four outputs.
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

    /** Adds the topology to {@code env}, reading from {@code input} and writing to {@code outputs}. */
    public static void build(StreamExecutionEnvironment env, MonitorConfig config, ScanInput input, Outputs outputs) {
        build(env, config, input, outputs, new ParcelTracker(config));
    }

    /**
     * The same topology with the given per-parcel function (the fault-injection tests pass one that fails on
     * purpose; everything else runs {@code new ParcelTracker(config)}).
     */
    public static void build(StreamExecutionEnvironment env, MonitorConfig config, ScanInput input, Outputs outputs,
            ParcelTracker tracker) {
        DataStream<ScanRecord> records = env.fromSource(input.source(), watermarks(config, input), input.name())
                .uid(input.uid());

        SingleOutputStreamOperator<ScanEvent> onTime = records
                .process(new ScanClassifier(config.outOfOrdernessMillis()), ScanEventSerializer.TYPE)
                .uid("classify-scans")
                .name("Classify scans: dead letter, late, on time");

        DataStream<DistrictDelta> deltas = onTime
                .keyBy(ScanEvent::waybillNo)
                .transform("Track parcel stays", TypeInformation.of(DistrictDelta.class),
                        new ParcelTrackerOperator(tracker))
                .uid("parcel-tracker")
                .name("Track parcel stays");

        SingleOutputStreamOperator<DistrictMetrics> metrics = deltas
                .keyBy(d -> d.key)
                .window(new DeltaWindowAssigner(config.windowSizeMillis()))
                .aggregate(new DeltaSum(), new DistrictMetricsFunction(config))
                .uid("district-metrics")
                .name("District metrics per window");

        SingleOutputStreamOperator<Alert> alerts = metrics
                .keyBy(DistrictMetrics::key)
                .process(new DistrictAlertFunction(config))
                .uid("district-alerts")
                .name("District alerts");

        metrics.sinkTo(outputs.metrics()).uid("sink-district-metrics").name("Write district metrics");
        alerts.sinkTo(outputs.alerts()).uid("sink-alerts").name("Write alerts");
        onTime.getSideOutput(ScanClassifier.DEAD_LETTERS).sinkTo(outputs.deadLetters())
                .uid("sink-dead-letter").name("Write dead letters");
        onTime.getSideOutput(ScanClassifier.LATE_EVENTS).sinkTo(outputs.lateEvents())
                .uid("sink-late-events").name("Write late events");
    }

    /**
     * Watermarks per input partition (the strategy goes into {@code fromSource}), from valid records only: a
     * rejected record must not move a partition's watermark. They stay one millisecond behind the lateness bound, so
     * a record that is not late is never behind the watermark.
     */
    static WatermarkStrategy<ScanRecord> watermarks(MonitorConfig config, ScanInput input) {
        WatermarkStrategy<ScanRecord> strategy = WatermarkStrategy
                .<ScanRecord>forBoundedOutOfOrderness(Duration.ofMillis(config.outOfOrdernessMillis()))
                .withTimestampAssigner((r, previous) -> r.event != null ? r.event.eventTime() : Long.MIN_VALUE);
        if (config.maxDriftMillis() > 0) {
            // An input partition (a Kafka partition, a replay file, a generator share) whose watermark runs more than
            // max-drift ahead of the slowest pauses until the others catch up: otherwise its scans would wait for
            // the watermark in the parcel tracker, as many as it can read ahead (a catch-up, a slow partition).
            strategy = strategy.withWatermarkAlignment(ALIGNMENT_GROUP, Duration.ofMillis(config.maxDriftMillis()),
                    ALIGNMENT_INTERVAL);
        }
        return input.partitionsMayIdle() && config.idlenessMillis() > 0
                ? strategy.withIdleness(Duration.ofMillis(config.idlenessMillis())) : strategy;
    }

    private static final String ALIGNMENT_GROUP = "express-monitor-scans";
    /** How often readers compare their watermarks: as often as they emit them. */
    private static final Duration ALIGNMENT_INTERVAL = Duration.ofMillis(200);
}
