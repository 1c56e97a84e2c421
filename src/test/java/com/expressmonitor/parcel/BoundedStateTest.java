package com.expressmonitor.parcel;

import static com.expressmonitor.event.FacilityType.STATION;
import static com.expressmonitor.event.ScanType.ARRIVED;
import static com.expressmonitor.event.ScanType.DELIVERED;
import static com.expressmonitor.testing.Scans.at;
import static org.assertj.core.api.Assertions.assertThat;

import com.expressmonitor.config.ConfigLoader;
import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.district.DistrictDelta;
import com.expressmonitor.event.ScanEvent;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.util.Map;

/**
 * State never grows without bound: a million delivered parcels leave nothing behind once their retention is over,
 * and parcels that stop being scanned are abandoned and dropped; no timer is left either.
 */
class BoundedStateTest {
    private static final MonitorConfig CONFIG = ConfigLoader.load(null, Map.of(
            "parcel.retention-after-delivery", "1d", "parcel.abandon-after", "3d"));

    @Test
    void aMillionDeliveredParcelsLeaveNoStateAfterTheirRetention() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, ScanEvent, DistrictDelta> h = harness();
        long start = at("2026-11-11T08:00");
        int parcels = 1_000_000;
        for (int i = 0; i < parcels; i++) {
            long t = start + i * 40L; // the million parcels over about 11 hours
            String waybill = "D" + i;
            h.processElement(new ScanEvent("a", waybill, ARRIVED, "ST1", STATION, "330482", null, t), t);
            h.processElement(new ScanEvent("d", waybill, DELIVERED, "ST1", STATION, "330482", null, t + 3_600_000L),
                    t + 3_600_000L);
            if (i % 10_000 == 9_999) {
                h.processWatermark(t - 120_000L);
                h.extractOutputValues(); // the output is not looked at: keep the harness's memory flat
            }
        }
        h.processWatermark(start + parcels * 40L + 3_600_000L);
        assertThat(h.numKeyedStateEntries()).isEqualTo(parcels); // delivered and remembered for a day
        h.processWatermark(start + parcels * 40L + 3_600_000L + 86_400_000L);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    @Test
    void parcelsThatStopBeingScannedAreAbandonedAndDropped() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, ScanEvent, DistrictDelta> h = harness();
        long t = at("2026-11-11T08:00");
        for (int i = 0; i < 10_000; i++) {
            h.processElement(new ScanEvent("a", "L" + i, ARRIVED, "ST1", STATION, "330482", null, t), t);
        }
        h.processWatermark(t + 1);
        assertThat(h.numKeyedStateEntries()).isEqualTo(10_000);
        h.processWatermark(t + 3 * 86_400_000L);
        // Abandoned after 3 days in the station (the backlog falls back), and no scan for 3 days: dropped.
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.prepareSnapshotPreBarrier(1L); // sends the sums of the window the watermark is inside
        long abandoned = h.extractOutputValues().stream().filter(d -> d.backlog < 0).mapToLong(d -> -d.backlog).sum();
        assertThat(abandoned).isEqualTo(10_000);
        h.close();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ScanEvent, DistrictDelta> harness() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, ScanEvent, DistrictDelta> h =
                new KeyedOneInputStreamOperatorTestHarness<>(new ParcelTrackerOperator(new ParcelTracker(CONFIG)),
                        ScanEvent::waybillNo, Types.STRING);
        h.open();
        return h;
    }
}
