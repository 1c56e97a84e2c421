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
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

/** The per-parcel function in an operator harness: ordering, stays, abandonment, expiry, and that state goes. */
class ParcelTrackerHarnessTest {
    private static final String SC = "330482/SORTING_CENTER";
    private static final String ST = "330482/STATION";

    private KeyedOneInputStreamOperatorTestHarness<String, ScanEvent, DistrictDelta> harness;

    @BeforeEach
    void setUp() throws Exception {
        MonitorConfig config = ConfigLoader.load(null, Map.of("parcel.abandon-after", "2d",
                "parcel.retention-after-delivery", "1d"));
        harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new ParcelTracker(config)),
                ScanEvent::waybillNo, Types.STRING);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private void send(ScanEvent e) throws Exception {
        harness.processElement(e, e.eventTime());
    }

    private List<String> output() {
        List<String> out = harness.extractOutputValues().stream().map(DistrictDelta::toString).toList();
        harness.getOutput().clear();
        return out;
    }

    private static String delta(String key, String windowEnd, String counts) {
        return key + "@" + at(windowEnd) + "{" + counts + "}";
    }

    @Test
    void scansWaitForTheWatermarkAndApplyInEventTimeOrder() throws Exception {
        // The arrival at the sorting center is received before the collection that happened earlier.
        send(scan("e2", "W1", ARRIVED, "SC1", SORTING_CENTER, "330482", "2026-11-11T10:00:30"));
        send(scan("e1", "W1", COLLECTED, "ST1", STATION, "330482", "2026-11-11T10:00:10"));
        assertThat(output()).isEmpty();
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processWatermark(at("2026-11-11T10:01"));
        assertThat(output()).containsExactly(
                // collection opens a station stay; its stuck mark is due 24 h later
                delta(ST, "2026-11-11T10:05", "arr=1,dep=0,del=0,exc=0,backlog+1,stuck+0"),
                delta(ST, "2026-11-12T10:05", "arr=0,dep=0,del=0,exc=0,backlog+0,stuck+1"),
                // the arrival elsewhere closes it (implicit departure), cancelling the stuck mark, and opens a new stay
                delta(ST, "2026-11-11T10:05", "arr=0,dep=1,del=0,exc=0,backlog-1,stuck+0"),
                delta(ST, "2026-11-12T10:05", "arr=0,dep=0,del=0,exc=0,backlog+0,stuck-1"),
                delta(SC, "2026-11-11T10:05", "arr=1,dep=0,del=0,exc=0,backlog+1,stuck+0"),
                delta(SC, "2026-11-11T22:05", "arr=0,dep=0,del=0,exc=0,backlog+0,stuck+1"));
    }

    @Test
    void scansAtTheSameInstantFollowTheTieOrder() throws Exception {
        // Received as DEPARTED, DELIVERED, ARRIVED, all at 10:00: applied ARRIVED, DEPARTED, DELIVERED.
        send(scan("c", "W2", DELIVERED, "ST9", STATION, "330482", "2026-11-11T10:00"));
        send(scan("b", "W2", DEPARTED, "ST9", STATION, "330482", "2026-11-11T10:00"));
        send(scan("a", "W2", ARRIVED, "ST9", STATION, "330482", "2026-11-11T10:00"));
        harness.processWatermark(at("2026-11-11T10:00"));
        assertThat(output()).containsExactly(
                delta(ST, "2026-11-11T10:05", "arr=1,dep=0,del=0,exc=0,backlog+1,stuck+0"),
                delta(ST, "2026-11-12T10:00", "arr=0,dep=0,del=0,exc=0,backlog+0,stuck+1"),
                delta(ST, "2026-11-11T10:05", "arr=0,dep=1,del=0,exc=0,backlog-1,stuck+0"),
                delta(ST, "2026-11-12T10:00", "arr=0,dep=0,del=0,exc=0,backlog+0,stuck-1"),
                delta(ST, "2026-11-11T10:05", "arr=0,dep=0,del=1,exc=0,backlog+0,stuck+0"));
    }

    @Test
    void explicitDepartureAfterTheSlaLeavesTheStuckCountAtTheDepartureWindow() throws Exception {
        send(scan("a", "W3", ARRIVED, "SC1", SORTING_CENTER, "330482", "2026-11-11T08:00"));
        send(scan("b", "W3", EXCEPTION, "SC1", SORTING_CENTER, "330482", "2026-11-11T09:00"));
        send(scan("c", "W3", DEPARTED, "SC1", SORTING_CENTER, "330482", "2026-11-11T21:00"));
        harness.processWatermark(at("2026-11-11T21:00"));
        assertThat(output()).containsExactly(
                delta(SC, "2026-11-11T08:05", "arr=1,dep=0,del=0,exc=0,backlog+1,stuck+0"),
                delta(SC, "2026-11-11T20:00", "arr=0,dep=0,del=0,exc=0,backlog+0,stuck+1"),
                delta(SC, "2026-11-11T09:05", "arr=0,dep=0,del=0,exc=1,backlog+0,stuck+0"),
                delta(SC, "2026-11-11T21:05", "arr=0,dep=1,del=0,exc=0,backlog-1,stuck-1"));
    }

    @Test
    void departureWithoutAStayAndRepeatedArrivalChangeNothing() throws Exception {
        send(scan("a", "W4", DEPARTED, "SC1", SORTING_CENTER, "330482", "2026-11-11T08:00"));
        send(scan("b", "W4", ARRIVED, "SC1", SORTING_CENTER, "330482", "2026-11-11T08:10"));
        send(scan("c", "W4", ARRIVED, "SC1", SORTING_CENTER, "330482", "2026-11-11T08:20"));
        harness.processWatermark(at("2026-11-11T09:00"));
        assertThat(output()).containsExactly(
                delta(SC, "2026-11-11T08:15", "arr=1,dep=0,del=0,exc=0,backlog+1,stuck+0"),
                delta(SC, "2026-11-11T20:10", "arr=0,dep=0,del=0,exc=0,backlog+0,stuck+1"));
    }

    @Test
    void duplicatesAreCountedOnceEvenWhenBothWait() throws Exception {
        send(scan("a", "W5", ARRIVED, "SC1", SORTING_CENTER, "330482", "2026-11-11T08:00"));
        send(scan("a", "W5", ARRIVED, "SC1", SORTING_CENTER, "330482", "2026-11-11T08:00"));
        harness.processWatermark(at("2026-11-11T08:01"));
        send(scan("a", "W5", ARRIVED, "SC1", SORTING_CENTER, "330482", "2026-11-11T08:02"));
        harness.processWatermark(at("2026-11-11T08:03"));
        assertThat(output()).containsExactly(
                delta(SC, "2026-11-11T08:05", "arr=1,dep=0,del=0,exc=0,backlog+1,stuck+0"),
                delta(SC, "2026-11-11T20:00", "arr=0,dep=0,del=0,exc=0,backlog+0,stuck+1"));
    }

    @Test
    void anAbandonedStayClosesWithoutADepartureAndTheParcelIsThenForgotten() throws Exception {
        send(scan("a", "W6", ARRIVED, "SC1", SORTING_CENTER, "330482", "2026-11-11T08:00"));
        // A scan at exactly open + abandon-after is applied after the abandonment.
        send(scan("b", "W6", DEPARTED, "SC1", SORTING_CENTER, "330482", "2026-11-13T08:00"));
        harness.processWatermark(at("2026-11-11T08:00"));
        output();
        harness.processWatermark(at("2026-11-13T08:00"));
        assertThat(output()).containsExactly(
                delta(SC, "2026-11-13T08:05", "arr=0,dep=0,del=0,exc=0,backlog-1,stuck-1"));
        // The departure found no stay; the parcel's state lives on for abandon-after since its last scan.
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        harness.processWatermark(at("2026-11-15T08:00"));
        assertThat(output()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aDeliveredParcelIsForgottenAfterRetentionAndItsIdsCountAgain() throws Exception {
        send(scan("a", "W7", ARRIVED, "ST1", STATION, "330482", "2026-11-11T08:00"));
        send(scan("b", "W7", OUT_FOR_DELIVERY, "ST1", STATION, "330482", "2026-11-11T09:00"));
        send(scan("c", "W7", DELIVERED, "ST1", STATION, "330482", "2026-11-11T10:00"));
        harness.processWatermark(at("2026-11-11T10:00"));
        assertThat(output()).hasSize(5);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        harness.processWatermark(at("2026-11-12T09:59:59"));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        harness.processWatermark(at("2026-11-12T10:00"));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        // After the state is gone, the same event id is a new scan again.
        send(scan("a", "W7", ARRIVED, "ST1", STATION, "330482", "2026-11-12T11:00"));
        harness.processWatermark(at("2026-11-12T11:00"));
        assertThat(output()).containsExactly(
                delta(ST, "2026-11-12T11:05", "arr=1,dep=0,del=0,exc=0,backlog+1,stuck+0"),
                delta(ST, "2026-11-13T11:00", "arr=0,dep=0,del=0,exc=0,backlog+0,stuck+1"));
    }

    @Test
    void keepsOneTimerPerParcel() throws Exception {
        send(scan("a", "W8", ARRIVED, "ST1", STATION, "330482", "2026-11-11T08:03"));
        send(scan("b", "W8", DEPARTED, "ST1", STATION, "330482", "2026-11-11T08:05"));
        send(scan("c", "W8", COLLECTED, "ST1", STATION, "330482", "2026-11-11T08:01"));
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        harness.processWatermark(at("2026-11-11T08:10"));
        // COLLECTED opens at 08:01, ARRIVED at the same station changes nothing, DEPARTED closes at 08:05.
        assertThat(output()).containsExactly(
                delta(ST, "2026-11-11T08:05", "arr=1,dep=0,del=0,exc=0,backlog+1,stuck+0"),
                delta(ST, "2026-11-12T08:05", "arr=0,dep=0,del=0,exc=0,backlog+0,stuck+1"),
                delta(ST, "2026-11-11T08:10", "arr=0,dep=1,del=0,exc=0,backlog-1,stuck+0"),
                delta(ST, "2026-11-12T08:05", "arr=0,dep=0,del=0,exc=0,backlog+0,stuck-1"));
        assertThat(harness.numEventTimeTimers()).isEqualTo(1); // the expiry two days after the last scan
    }
}
