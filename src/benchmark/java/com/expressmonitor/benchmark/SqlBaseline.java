package com.expressmonitor.benchmark;

import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.event.ScanEvent;
import com.expressmonitor.event.ScanRecord;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;

import java.time.Duration;
import java.time.Instant;

/**
 * The baseline: the same computation as a Flink SQL user would write it, on the same events parsed by the same
 * parser: dedupe per (waybill, event id) with ROW_NUMBER, per-district counts in tumbling event-time windows, and the
 * backlog per district from the latest scan of each waybill.
 */
final class SqlBaseline {
    private SqlBaseline() {}

    static void build(StreamExecutionEnvironment env, MonitorConfig config, Source<ScanRecord, ?, ?> source, String name,
            boolean miniBatch, boolean twoPhase) {
        long ooo = config.outOfOrdernessMillis();
        WatermarkStrategy<ScanRecord> wm = WatermarkStrategy.<ScanRecord>forBoundedOutOfOrderness(Duration.ofMillis(ooo))
                .withTimestampAssigner((r, p) -> r.event != null ? r.event.eventTime() : Long.MIN_VALUE);
        TypeInformation<Row> rowType = Types.ROW_NAMED(
                new String[] {"eventId", "waybillNo", "scanType", "facilityId", "facilityType", "districtCode", "ts"},
                Types.STRING, Types.STRING, Types.STRING, Types.STRING, Types.STRING, Types.STRING, Types.INSTANT);
        DataStream<Row> rows = env.fromSource(source, wm, name).uid("source")
                .filter(r -> r.event != null)
                .map(r -> {
                    ScanEvent e = r.event;
                    return Row.of(e.eventId(), e.waybillNo(), e.scanType().name(), e.facilityId(),
                            e.facilityType().name(), e.districtCode(), Instant.ofEpochMilli(e.eventTime()));
                }, rowType);

        StreamTableEnvironment t = StreamTableEnvironment.create(env);
        var c = t.getConfig();
        c.set("table.exec.mini-batch.enabled", String.valueOf(miniBatch));
        if (miniBatch) {
            c.set("table.exec.mini-batch.allow-latency", "1 s");
            c.set("table.exec.mini-batch.size", "5000");
        }
        c.set("table.optimizer.agg-phase-strategy", twoPhase ? "TWO_PHASE" : "AUTO");
        c.set("table.local-time-zone", "Asia/Shanghai");
        t.createTemporaryView("scans", rows, Schema.newBuilder()
                .column("eventId", DataTypes.STRING())
                .column("waybillNo", DataTypes.STRING())
                .column("scanType", DataTypes.STRING())
                .column("facilityId", DataTypes.STRING())
                .column("facilityType", DataTypes.STRING())
                .column("districtCode", DataTypes.STRING())
                .column("ts", DataTypes.TIMESTAMP_LTZ(3))
                .watermark("ts", "SOURCE_WATERMARK()")
                .build());
        long minutes = config.windowSizeMillis() / 60_000;
        t.executeSql("CREATE TEMPORARY TABLE metrics_out (district STRING, facilityType STRING, windowStart TIMESTAMP(3), "
                + "windowEnd TIMESTAMP(3), arrivals BIGINT, departures BIGINT, deliveries BIGINT, exceptions BIGINT) "
                + "WITH ('connector' = 'blackhole')");
        t.executeSql("CREATE TEMPORARY TABLE backlog_out (district STRING, facilityType STRING, backlog BIGINT) "
                + "WITH ('connector' = 'blackhole')");
        // Keep the first copy of each scan (proc-time dedupe: append-only, keeps the event-time attribute).
        t.executeSql("CREATE TEMPORARY VIEW deduped AS SELECT eventId, waybillNo, scanType, facilityId, facilityType, "
                + "districtCode, ts FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY waybillNo, eventId "
                + "ORDER BY PROCTIME() ASC) AS rn FROM (SELECT *, PROCTIME() AS pt FROM scans)) WHERE rn = 1");
        var set = t.createStatementSet();
        set.addInsertSql("INSERT INTO metrics_out SELECT districtCode, facilityType, window_start, window_end, "
                + "COUNT(*) FILTER (WHERE scanType IN ('COLLECTED', 'ARRIVED')), "
                + "COUNT(*) FILTER (WHERE scanType IN ('DEPARTED', 'OUT_FOR_DELIVERY')), "
                + "COUNT(*) FILTER (WHERE scanType = 'DELIVERED'), "
                + "COUNT(*) FILTER (WHERE scanType = 'EXCEPTION') "
                + "FROM TABLE(TUMBLE(TABLE deduped, DESCRIPTOR(ts), INTERVAL '" + minutes + "' MINUTES)) "
                + "GROUP BY districtCode, facilityType, window_start, window_end");
        set.addInsertSql("INSERT INTO backlog_out SELECT districtCode, facilityType, COUNT(*) FROM ("
                + "SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY waybillNo ORDER BY ts DESC) AS rn "
                + "FROM deduped) WHERE rn = 1) WHERE scanType IN ('COLLECTED', 'ARRIVED') "
                + "GROUP BY districtCode, facilityType");
        set.attachAsDataStream();
    }
}
