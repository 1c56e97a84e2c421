package com.expressmonitor.parcel;

import static com.expressmonitor.event.FacilityType.SORTING_CENTER;
import static com.expressmonitor.event.FacilityType.STATION;
import static com.expressmonitor.event.ScanType.ARRIVED;
import static com.expressmonitor.event.ScanType.COLLECTED;
import static com.expressmonitor.event.ScanType.DELIVERED;
import static com.expressmonitor.event.ScanType.DEPARTED;
import static com.expressmonitor.event.ScanType.EXCEPTION;
import static com.expressmonitor.event.ScanType.OUT_FOR_DELIVERY;
import static com.expressmonitor.testing.Scans.at;
import static com.expressmonitor.testing.Scans.scan;
import static org.assertj.core.api.Assertions.assertThat;

import com.expressmonitor.config.ConfigLoader;
import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.district.DistrictDelta;
import com.expressmonitor.event.ScanEvent;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.StateBackendLoader;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The buffering operator gives the same district changes, summed per window, as the plain function applying each
 * scan at its own timer, also across a checkpoint taken while scans wait for the watermark.
 */
class ParcelTrackerOperatorTest {
    private static final MonitorConfig CONFIG = ConfigLoader.load(null, Map.of("parcel.abandon-after", "2d",
            "parcel.retention-after-delivery", "1d"));

    /** A scan to send, or (scan == null) a watermark. */
    private record Step(ScanEvent scan, long watermark) {}

    private static Step s(String id, String waybill, com.expressmonitor.event.ScanType type, String facility,
            com.expressmonitor.event.FacilityType ftype, String time) {
        return new Step(scan(id, waybill, type, facility, ftype, "330482", time), 0);
    }

    private static Step w(String time) {
        return new Step(null, at(time));
    }

    private static final List<Step> STEPS = List.of(
            s("e2", "W1", ARRIVED, "SC1", SORTING_CENTER, "2026-11-11T10:00:30"),
            s("e1", "W1", COLLECTED, "ST1", STATION, "2026-11-11T10:00:10"),
            s("a", "W2", ARRIVED, "SC1", SORTING_CENTER, "2026-11-11T10:02"),
            s("a", "W2", ARRIVED, "SC1", SORTING_CENTER, "2026-11-11T10:02"),
            w("2026-11-11T10:01"),
            s("e3", "W1", DEPARTED, "SC1", SORTING_CENTER, "2026-11-11T10:20"),
            s("b", "W2", EXCEPTION, "SC1", SORTING_CENTER, "2026-11-11T10:03"),
            s("x", "W3", ARRIVED, "ST2", STATION, "2026-11-11T10:04"),
            w("2026-11-11T10:03"),
            s("e4", "W1", ARRIVED, "ST9", STATION, "2026-11-11T12:00"),
            s("y", "W3", DEPARTED, "ST2", STATION, "2026-11-11T10:30"),
            s("e5", "W1", OUT_FOR_DELIVERY, "ST9", STATION, "2026-11-11T13:00"),
            w("2026-11-11T10:25"),
            s("e6", "W1", DELIVERED, "ST9", STATION, "2026-11-11T14:00"),
            s("c", "W2", DEPARTED, "SC1", SORTING_CENTER, "2026-11-13T10:02"), // after abandonment at 10:02
            w("2026-11-11T14:00"),
            w("2026-11-13T10:02"),
            s("e6", "W1", DELIVERED, "ST9", STATION, "2026-11-13T11:00"), // retention is over: counted again
            w("2026-11-20T00:00"));

    private static Map<String, String> run(OneInputStreamOperator<ScanEvent, DistrictDelta> operator,
            int checkpointBeforeStep) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, ScanEvent, DistrictDelta> h = harness(operator);
        h.open();
        List<DistrictDelta> out = new ArrayList<>();
        for (int i = 0; i < STEPS.size(); i++) {
            if (i == checkpointBeforeStep) {
                h.prepareSnapshotPreBarrier(1L); // as the task does before the barrier
                OperatorSubtaskState snapshot = h.snapshot(1L, 1L);
                out.addAll(h.extractOutputValues());
                h.close();
                h = harness(new ParcelTrackerOperator(new ParcelTracker(CONFIG)));
                h.initializeState(snapshot);
                h.open();
            }
            Step step = STEPS.get(i);
            if (step.scan() != null) {
                h.processElement(step.scan(), step.scan().eventTime());
            } else {
                h.processWatermark(step.watermark());
            }
        }
        out.addAll(h.extractOutputValues());
        h.close();
        return sums(out);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ScanEvent, DistrictDelta> harness(
            OneInputStreamOperator<ScanEvent, DistrictDelta> operator) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(operator, ScanEvent::waybillNo, Types.STRING);
    }

    private static Map<String, String> sums(List<DistrictDelta> deltas) {
        Map<String, DistrictDelta> sums = new TreeMap<>();
        for (DistrictDelta d : deltas) {
            DistrictDelta sum = sums.computeIfAbsent(d.key + "@" + d.windowEnd, k -> new DistrictDelta(d.key, d.windowEnd));
            sum.add(d);
        }
        Map<String, String> text = new TreeMap<>();
        sums.forEach((k, v) -> text.put(k, v.toString()));
        return text;
    }

    @Test
    void sameSumsAsTheFunctionAtItsTimers() throws Exception {
        Map<String, String> expected = run(new KeyedProcessOperator<>(new ParcelTracker(CONFIG)), -1);
        assertThat(expected).hasSizeGreaterThan(5);
        assertThat(run(new ParcelTrackerOperator(new ParcelTracker(CONFIG)), -1)).isEqualTo(expected);
    }

    @Test
    void sameSumsAcrossACheckpointWhileScansWait() throws Exception {
        Map<String, String> expected = run(new KeyedProcessOperator<>(new ParcelTracker(CONFIG)), -1);
        for (int at = 1; at < STEPS.size(); at++) {
            assertThat(run(new ParcelTrackerOperator(new ParcelTracker(CONFIG)), at)).as("checkpoint before step %d", at)
                    .isEqualTo(expected);
        }
    }

    /** An opened buffering operator that has received one arrival at 08:01 for each of {@code parcels} parcels. */
    private static KeyedOneInputStreamOperatorTestHarness<String, ScanEvent, DistrictDelta> withArrivals(int parcels)
            throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, ScanEvent, DistrictDelta> h =
                harness(new ParcelTrackerOperator(new ParcelTracker(CONFIG)));
        h.open();
        for (int i = 0; i < parcels; i++) {
            h.processElement(scan("a", "P" + i, ARRIVED, "SC1", SORTING_CENTER, "330482", "2026-11-11T08:01"), 0L);
        }
        return h;
    }

    @Test
    void sendsOneSumPerDistrictAndWindowWhenTheWatermarkReachesItsEnd() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, ScanEvent, DistrictDelta> h = withArrivals(20);
        assertThat(h.extractOutputValues()).isEmpty();
        h.processWatermark(at("2026-11-11T08:02"));
        assertThat(h.extractOutputValues()).isEmpty(); // applied, but neither window is due yet
        h.processWatermark(at("2026-11-11T08:05") - 1);
        assertThat(h.extractOutputValues()).extracting(DistrictDelta::toString).containsExactly(
                "330482/SORTING_CENTER@" + at("2026-11-11T08:05") + "{arr=20,dep=0,del=0,exc=0,backlog+20,stuck+0}");
        // The sum goes out before the watermark that fires its window downstream, never after it.
        assertThat(h.getOutput()).extracting(Object::toString).containsExactly(
                "Watermark @ " + at("2026-11-11T08:02"),
                new StreamRecord<>(h.extractOutputValues().get(0), at("2026-11-11T08:05") - 1).toString(),
                "Watermark @ " + (at("2026-11-11T08:05") - 1));
        h.getOutput().clear();
        h.processWatermark(at("2026-11-11T20:04"));
        assertThat(h.extractOutputValues()).isEmpty();
        h.processWatermark(at("2026-11-11T20:05") - 1);
        assertThat(h.extractOutputValues()).extracting(DistrictDelta::toString).containsExactly(
                "330482/SORTING_CENTER@" + at("2026-11-11T20:05") + "{arr=0,dep=0,del=0,exc=0,backlog+0,stuck+20}");
        h.close();
    }

    @Test
    void sendsEverySumBeforeACheckpointBarrier() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, ScanEvent, DistrictDelta> h = withArrivals(20);
        h.processWatermark(at("2026-11-11T08:02"));
        h.prepareSnapshotPreBarrier(1L);
        assertThat(h.extractOutputValues()).extracting(DistrictDelta::toString).containsExactlyInAnyOrder(
                "330482/SORTING_CENTER@" + at("2026-11-11T08:05") + "{arr=20,dep=0,del=0,exc=0,backlog+20,stuck+0}",
                "330482/SORTING_CENTER@" + at("2026-11-11T20:05") + "{arr=0,dep=0,del=0,exc=0,backlog+0,stuck+20}");
        h.close();
    }

    /** Held sums are bounded: beyond {@link ParcelTrackerOperator#MAX_SUMS} all are sent at once, early but summed. */
    @Test
    void sendsAllSumsEarlyWhenTooManyAreHeld() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, ScanEvent, DistrictDelta> h =
                harness(new ParcelTrackerOperator(new ParcelTracker(CONFIG)));
        h.open();
        int districts = ParcelTrackerOperator.MAX_SUMS + 1;
        for (int i = 0; i < districts; i++) {
            h.processElement(scan("x", "P" + i, EXCEPTION, "ST1", STATION, String.valueOf(100_000 + i),
                    "2026-11-11T08:01"), 0L);
        }
        h.processWatermark(at("2026-11-11T08:02"));
        List<DistrictDelta> out = h.extractOutputValues();
        assertThat(out).hasSize(districts);
        assertThat(out).allSatisfy(d -> assertThat(d.exceptions).isEqualTo(1));
        h.getOutput().clear();
        h.prepareSnapshotPreBarrier(1L);
        assertThat(h.extractOutputValues()).isEmpty();
        h.close();
    }

    @Test
    void waitingScansAreCheckpointedOutsideTheParcelState() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, ScanEvent, DistrictDelta> h = withArrivals(5);
        h.prepareSnapshotPreBarrier(1L);
        h.snapshot(1L, 1L);
        // No parcel state and no timer: the checkpoint holds the five scans as the operator's list.
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    /** Waiting scans restored at a new parallelism go to the subtask that owns their parcel, each exactly once. */
    @Test
    void waitingScansFollowTheirKeysWhenRescaled() throws Exception {
        int maxParallelism = 128;
        List<ScanEvent> scans = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            scans.add(scan("a" + i, "P" + i, ARRIVED, "SC1", SORTING_CENTER, "330482", "2026-11-11T08:01"));
            scans.add(scan("d" + i, "P" + i, DEPARTED, "SC1", SORTING_CENTER, "330482", "2026-11-11T08:07"));
        }
        KeyedOneInputStreamOperatorTestHarness<String, ScanEvent, DistrictDelta> one = new KeyedOneInputStreamOperatorTestHarness<>(
                new ParcelTrackerOperator(new ParcelTracker(CONFIG)), ScanEvent::waybillNo, Types.STRING, maxParallelism, 1, 0);
        one.open();
        for (ScanEvent e : scans) {
            one.processElement(e, e.eventTime());
        }
        one.prepareSnapshotPreBarrier(1L);
        OperatorSubtaskState snapshot = one.snapshot(1L, 1L);
        one.close();

        List<DistrictDelta> out = new ArrayList<>();
        int[] applied = new int[2];
        for (int subtask = 0; subtask < 2; subtask++) {
            KeyedOneInputStreamOperatorTestHarness<String, ScanEvent, DistrictDelta> h = new KeyedOneInputStreamOperatorTestHarness<>(
                    new ParcelTrackerOperator(new ParcelTracker(CONFIG)), ScanEvent::waybillNo, Types.STRING, maxParallelism, 2,
                    subtask);
            h.initializeState(AbstractStreamOperatorTestHarness.repartitionOperatorState(snapshot, maxParallelism, 1, 2,
                    subtask));
            h.open();
            h.processWatermark(at("2026-11-11T09:00"));
            h.prepareSnapshotPreBarrier(2L); // sends the sums of later windows too
            List<DistrictDelta> part = h.extractOutputValues();
            applied[subtask] = part.stream().mapToInt(d -> d.arrivals).sum();
            out.addAll(part);
            h.close();
        }
        assertThat(applied[0]).isPositive();
        assertThat(applied[1]).isPositive();
        assertThat(sums(out)).containsOnly(
                Map.entry("330482/SORTING_CENTER@" + at("2026-11-11T08:05"),
                        "330482/SORTING_CENTER@" + at("2026-11-11T08:05") + "{arr=40,dep=0,del=0,exc=0,backlog+40,stuck+0}"),
                Map.entry("330482/SORTING_CENTER@" + at("2026-11-11T08:10"),
                        "330482/SORTING_CENTER@" + at("2026-11-11T08:10") + "{arr=0,dep=40,del=0,exc=0,backlog-40,stuck+0}"),
                // the stuck mark set on arrival for the SLA's window and taken back on departure: they cancel
                Map.entry("330482/SORTING_CENTER@" + at("2026-11-11T20:05"),
                        "330482/SORTING_CENTER@" + at("2026-11-11T20:05") + "{arr=0,dep=0,del=0,exc=0,backlog+0,stuck+0}"));
    }

    /**
     * The steps, then two parcels still open (one with a stay, one scanned 20 times: its ids beyond the first 16 in
     * the map state), then the end of the input (the final watermark).
     */
    private static List<Step> stepsToTheEnd() {
        List<Step> steps = new ArrayList<>(STEPS);
        steps.add(s("o", "W4", ARRIVED, "ST3", STATION, "2026-11-21T09:00"));
        for (int i = 0; i < 20; i++) {
            steps.add(s("x" + i, "W5", EXCEPTION, "ST3", STATION, "2026-11-21T09:" + (10 + i)));
        }
        steps.add(w("2026-11-21T10:00"));
        steps.add(new Step(null, Long.MAX_VALUE));
        return steps;
    }

    /** Runs {@link #stepsToTheEnd} on {@code backend}; the sums, and the parcels' keys left in each state. */
    private static Map<String, String> runToTheEnd(OneInputStreamOperator<ScanEvent, DistrictDelta> operator,
            StateBackend backend, Map<String, Long> keysLeft) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, ScanEvent, DistrictDelta> h = harness(operator);
        h.setStateBackend(backend);
        h.open();
        for (Step step : stepsToTheEnd()) {
            if (step.scan() != null) {
                h.processElement(step.scan(), step.scan().eventTime());
            } else {
                h.processWatermark(step.watermark());
            }
        }
        Map<String, String> sums = sums(h.extractOutputValues());
        KeyedStateBackend<String> keyed = ((AbstractStreamOperator<?>) operator).getKeyedStateBackend();
        for (String state : List.of(ParcelTracker.STATE_NAME, "seen-overflow")) {
            try (var keys = keyed.getKeys(state, VoidNamespace.INSTANCE)) {
                keysLeft.put(state, keys.count());
            }
        }
        keysLeft.put("timers", (long) h.numEventTimeTimers());
        h.close();
        return sums;
    }

    /**
     * At the end of the input the operator on RocksDB goes through its parcels in key order instead of firing their
     * timers: the same sums as the plain function firing every timer, on either backend, and no parcel left.
     */
    @Test
    void theEndOfTheInputGivesTheSameSumsAndLeavesNoParcel() throws Exception {
        Map<String, Long> left = new TreeMap<>();
        Map<String, String> expected = runToTheEnd(new KeyedProcessOperator<>(new ParcelTracker(CONFIG)),
                new HashMapStateBackend(), left);
        // W4's stay is abandoned at the end (its arrival counted in the 09:05 window, abandoned two days on).
        assertThat(expected).containsEntry("330482/STATION@" + at("2026-11-23T09:05"),
                "330482/STATION@" + at("2026-11-23T09:05") + "{arr=0,dep=0,del=0,exc=0,backlog-1,stuck-1}");
        assertThat(left).containsOnly(Map.entry(ParcelTracker.STATE_NAME, 0L), Map.entry("seen-overflow", 0L),
                Map.entry("timers", 0L));

        // The heap backend fires every timer; on RocksDB, also under the changelog backend (state.changelog.enabled
        // in the configurations), the pass drops the parcels and leaves the timers of W4 and W5, the two parcels
        // alive at the end, unfired (which also shows that the pass ran).
        for (StateBackend backend : List.of(new HashMapStateBackend(), new EmbeddedRocksDBStateBackend(),
                rocksDbUnderTheChangelog())) {
            left.clear();
            String name = backend.getClass().getSimpleName();
            assertThat(runToTheEnd(new ParcelTrackerOperator(new ParcelTracker(CONFIG)), backend, left))
                    .as("on %s", name).isEqualTo(expected);
            assertThat(left).as("on %s", name).containsOnly(Map.entry(ParcelTracker.STATE_NAME, 0L),
                    Map.entry("seen-overflow", 0L),
                    Map.entry("timers", backend instanceof HashMapStateBackend ? 0L : 2L));
        }
    }

    /** RocksDB under the changelog backend, as Flink builds it for {@code state.changelog.enabled: true}. */
    private static StateBackend rocksDbUnderTheChangelog() throws Exception {
        StateBackend backend = StateBackendLoader.fromApplicationOrConfigOrDefault(new EmbeddedRocksDBStateBackend(),
                Configuration.fromMap(Map.of("state.changelog.enabled", "true")), new Configuration(),
                ParcelTrackerOperatorTest.class.getClassLoader(), LoggerFactory.getLogger(ParcelTrackerOperatorTest.class));
        assertThat(StateBackendLoader.isChangelogStateBackend(backend)).isTrue();
        return backend;
    }
}
