package com.expressmonitor.district;

import static org.assertj.core.api.Assertions.assertThat;

import com.expressmonitor.config.ConfigLoader;
import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.event.FacilityType;
import com.expressmonitor.metrics.DistrictLabels;
import com.expressmonitor.testing.CapturedGauges;
import com.expressmonitor.testing.Scans;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.operators.windowing.WindowOperatorBuilder;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;


/**
 * The per-district gauges of the district-metrics operator, through the real window operator: districts of the
 * configuration and the first {@value DistrictLabels#MAX_OTHERS} others get their own label, the rest are summed
 * under "other", and after a restore the sums are rebuilt from each district's restored totals.
 */
class DistrictGaugesHarnessTest {
    private static final long WINDOW = 300_000L;
    private static final String SC = "SORTING_CENTER";
    private final MonitorConfig config = ConfigLoader.defaults(); // configures 330482

    private KeyedOneInputStreamOperatorTestHarness<String, DistrictDelta, DistrictMetrics> harness(CapturedGauges gauges)
            throws Exception {
        DeltaWindowAssigner assigner = new DeltaWindowAssigner(WINDOW);
        OneInputStreamOperator<DistrictDelta, DistrictMetrics> operator = new WindowOperatorBuilder<>(assigner,
                assigner.getDefaultTrigger(), new ExecutionConfig(), TypeInformation.of(DistrictDelta.class),
                (DistrictDelta d) -> d.key, Types.STRING)
                .aggregate(new DeltaSum(), new DistrictMetricsFunction(config), TypeInformation.of(DistrictDelta.class));
        return new KeyedOneInputStreamOperatorTestHarness<>(operator, d -> d.key, Types.STRING, gauges.environment());
    }

    /** A change to one district's sorting centers in the window ending at {@code end}. */
    private static StreamRecord<DistrictDelta> delta(String district, long end, int arrivals, int departures) {
        DistrictDelta d = new DistrictDelta(DistrictDelta.key(district, FacilityType.SORTING_CENTER), end);
        d.arrivals = arrivals;
        d.departures = departures;
        d.backlog = arrivals - departures;
        return new StreamRecord<>(d, end - 1);
    }

    private static String filler(int i) {
        return String.valueOf(410100 + i);
    }

    private static String id(String name, String district) {
        return name + "{district=" + district + ",facilityType=" + SC + "}";
    }

    @Test
    void boundedLabelsAndOtherSumsSurviveARestore() throws Exception {
        // Keys whose windows end at the same instant fire in no set order, so the districts that take the labels
        // come a window before the others.
        long end0 = Scans.at("2026-11-11T10:00");
        long end1 = end0 + WINDOW;
        long end2 = end1 + WINDOW;
        long end3 = end2 + WINDOW;
        long end4 = end3 + WINDOW;

        CapturedGauges before = new CapturedGauges();
        OperatorSubtaskState snapshot;
        try (var h = harness(before)) {
            h.open();
            for (int i = 0; i < DistrictLabels.MAX_OTHERS; i++) {
                h.processElement(delta(filler(i), end0, 1, 0));
            }
            h.processWatermark(end0);
            h.processElement(delta("330482", end1, 2, 0)); // configured: its own label whatever the bound
            h.processElement(delta("510101", end1, 3, 0)); // beyond the bound: "other"
            h.processElement(delta("510102", end1, 2, 0)); // beyond the bound: "other"
            h.processWatermark(end1);
            assertThat(h.extractOutputValues()).hasSize(DistrictLabels.MAX_OTHERS + 3);

            assertThat(before.value(id("backlog", "330482"))).isEqualTo(2L);
            assertThat(before.value(id("arrivals", "330482"))).isEqualTo(2L);
            assertThat(before.value(id("arrivalsPerHour", "330482"))).isEqualTo(24.0);
            assertThat(before.value(id("windowEnd", "330482"))).isEqualTo(end1);
            assertThat(before.value(id("backlog", filler(0)))).isEqualTo(1L);
            assertThat(before.value(id("backlog", "510101"))).isNull();
            assertThat(before.value(id("backlog", "other"))).isEqualTo(5L);
            assertThat(before.value(id("arrivals", "other"))).isEqualTo(5L);
            assertThat(before.value(id("arrivalsPerHour", "other"))).isEqualTo(60.0);
            assertThat(before.value(id("windowEnd", "other"))).isEqualTo(end1);
            // 50 others, the configured district and "other": 52 label values, seven gauges each
            assertThat(before.ids().stream().filter(i -> i.contains("district="))).hasSize((DistrictLabels.MAX_OTHERS + 2) * 7);
            snapshot = h.snapshot(1L, end1);
        }

        CapturedGauges after = new CapturedGauges();
        try (var h = harness(after)) {
            h.initializeState(snapshot);
            h.open();
            for (int i = 0; i < DistrictLabels.MAX_OTHERS; i++) {
                h.processElement(delta(filler(i), end2, 0, 1));
            }
            h.processWatermark(end2);
            h.processElement(delta("510101", end3, 0, 1)); // restored total 3, now 2
            h.processWatermark(end3);
            // 510102 has not reported since the restore: only 510101's whole total is in the sum yet
            assertThat(after.value(id("backlog", "other"))).isEqualTo(2L);
            assertThat(after.value(id("departures", "other"))).isEqualTo(1L);
            assertThat(after.value(id("backlog", filler(7)))).isEqualTo(0L);

            h.processElement(delta("510102", end4, 0, 1)); // restored total 2, now 1: counted whole
            h.processElement(delta("510101", end4, 0, 1)); // already counted: only the change
            h.processWatermark(end4);
            assertThat(after.value(id("backlog", "other"))).isEqualTo(2L); // 1 + 1, as the districts' totals
            assertThat(after.value(id("departures", "other"))).isEqualTo(2L);
            assertThat(after.value(id("departuresPerHour", "other"))).isEqualTo(24.0);
            assertThat(after.value(id("windowEnd", "other"))).isEqualTo(end4);
            assertThat(after.value(id("backlog", "330482"))).isNull(); // not seen since the restore
        }
    }
}
