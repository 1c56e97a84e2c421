package com.expressmonitor.parcel;

import static com.expressmonitor.event.FacilityType.STATION;
import static com.expressmonitor.event.ScanType.ARRIVED;
import static com.expressmonitor.event.ScanType.DELIVERED;
import static com.expressmonitor.event.ScanType.EXCEPTION;
import static com.expressmonitor.testing.Scans.at;
import static com.expressmonitor.testing.Scans.scan;
import static org.assertj.core.api.Assertions.assertThat;

import com.expressmonitor.config.ConfigLoader;
import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.district.DistrictDelta;
import com.expressmonitor.event.ScanEvent;

import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.base.BooleanSerializer;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One parcel scanned thousands of times (a scanner stuck in a loop, a test parcel) is handled exactly like any other
 * (every new event id counted once, every repeat recognised, also across a checkpoint) while its value in state stays
 * the size of an ordinary parcel's: the ids beyond the first few are kept in a map state, one entry each, and dropped
 * with the parcel.
 */
class HotParcelTest {
    private static final MonitorConfig CONFIG = ConfigLoader.load(null, Map.of("parcel.retention-after-delivery", "1d"));
    private static final int SCANS = 5_000;

    private static KeyedOneInputStreamOperatorTestHarness<String, ScanEvent, DistrictDelta> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new ParcelTrackerOperator(new ParcelTracker(CONFIG)),
                ScanEvent::waybillNo, Types.STRING);
    }

    /** The hot parcel's exception scan number {@code i}, one second apart from 08:00. */
    private static ScanEvent exception(int i) {
        long t = at("2026-11-11T08:00") + i * 1000L;
        return new ScanEvent("x" + i, "HOT", EXCEPTION, "ST1", STATION, "330482", "ZTO", t);
    }

    @Test
    void everyNewIdCountsOnceAndEveryRepeatIsRecognisedWithABoundedValue() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, ScanEvent, DistrictDelta> h = harness();
        h.open();
        h.processElement(scan("a", "HOT", ARRIVED, "ST1", STATION, "330482", "2026-11-11T07:59"), 0L);
        List<DistrictDelta> out = new ArrayList<>();
        for (int i = 0; i < SCANS; i++) {
            h.processElement(exception(i), 0L);
            if (i % 7 == 3) {
                h.processElement(exception(i / 2), 0L); // a repeat of an id kept in the value or in the map
            }
            if (i == SCANS / 2) {
                // A checkpoint in the middle: the ids live on in the restored state.
                h.processWatermark(exception(i).eventTime());
                h.prepareSnapshotPreBarrier(1L);
                OperatorSubtaskState snapshot = h.snapshot(1L, 1L);
                out.addAll(h.extractOutputValues());
                h.close();
                h = harness();
                h.initializeState(snapshot);
                h.open();
            }
            if (i % 500 == 499) {
                h.processWatermark(exception(i).eventTime());
            }
        }
        h.processWatermark(exception(SCANS).eventTime());
        h.prepareSnapshotPreBarrier(2L); // sends the sums of windows the watermark has not reached yet
        out.addAll(h.extractOutputValues());

        assertThat(out.stream().mapToInt(d -> d.exceptions).sum()).isEqualTo(SCANS);
        ((org.apache.flink.streaming.api.operators.AbstractStreamOperator<?>) h.getOperator()).setCurrentKey("HOT");
        ParcelState parcel = value(h).value();
        assertThat(parcel.seen).hasSize(ParcelTracker.INLINE_SEEN);
        assertThat(parcel.seenOverflow).isTrue();
        DataOutputSerializer bytes = new DataOutputSerializer(256);
        ParcelStateSerializer.INSTANCE.serialize(parcel, bytes);
        assertThat(bytes.length()).isLessThan(150);
        int inMap = 0;
        for (Long ignored : overflow(h).keys()) {
            inMap++;
        }
        assertThat(inMap).isEqualTo(SCANS + 1 - ParcelTracker.INLINE_SEEN); // the arrival's id is kept too

        // Delivered, then forgotten after the retention: nothing of it is left, neither the value nor the map.
        h.processElement(scan("d", "HOT", DELIVERED, "ST1", STATION, "330482", "2026-11-11T10:00"), 0L);
        h.processWatermark(at("2026-11-12T10:00"));
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    private static ValueState<ParcelState> value(KeyedOneInputStreamOperatorTestHarness<String, ScanEvent, DistrictDelta> h)
            throws Exception {
        return ((org.apache.flink.streaming.api.operators.AbstractStreamOperator<?>) h.getOperator()).getKeyedStateBackend().getPartitionedState(VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE, new ValueStateDescriptor<>("parcel", ParcelStateSerializer.INSTANCE));
    }

    private static MapState<Long, Boolean> overflow(
            KeyedOneInputStreamOperatorTestHarness<String, ScanEvent, DistrictDelta> h) throws Exception {
        return ((org.apache.flink.streaming.api.operators.AbstractStreamOperator<?>) h.getOperator()).getKeyedStateBackend().getPartitionedState(VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE,
                new MapStateDescriptor<>("seen-overflow", LongSerializer.INSTANCE, BooleanSerializer.INSTANCE));
    }
}
