package com.expressmonitor.parcel;

import static org.assertj.core.api.Assertions.assertThat;

import com.expressmonitor.event.FacilityType;
import com.expressmonitor.event.ScanEvent;
import com.expressmonitor.event.ScanType;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/** The compact form of the per-parcel state keeps every field, and restores from its own snapshot. */
class ParcelStateSerializerTest {
    private static final ParcelStateSerializer S = ParcelStateSerializer.INSTANCE;

    private static ParcelState roundTrip(ParcelState p) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        S.serialize(p, out);
        return S.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    @Test
    void emptyStateRoundTrips() throws Exception {
        assertThat(roundTrip(new ParcelState())).usingRecursiveComparison().isEqualTo(new ParcelState());
    }

    @Test
    void everyFieldRoundTrips() throws Exception {
        ParcelState p = new ParcelState();
        List<ScanEvent> pending = new ArrayList<>();
        pending.add(new ScanEvent("e1", "W-1", ScanType.ARRIVED, "F", FacilityType.STATION, "330482", null, 5L));
        pending.add(new ScanEvent("é2", "W-1", ScanType.DELIVERED, "站点-7", FacilityType.SORTING_CENTER, "110101", "SF",
                1_794_000_000_000L));
        p.pending = pending;
        p.seen = new long[] {1, 0, (1L << 48) - 1, 0x8000_0000_0001L};
        p.stayKey = "330482/STATION";
        p.stayType = FacilityType.STATION;
        p.stayFacility = "ST-330482-01";
        p.stayOpen = 1_794_000_000_000L - 3_600_000L;
        p.lastScan = 1_794_000_000_000L;
        p.deliveredAt = 1_794_000_000_000L + 1;
        p.timer = 1_794_000_000_000L + 30L * 86_400_000L;
        ParcelState back = roundTrip(p);
        assertThat(back).usingRecursiveComparison().isEqualTo(p);
        assertThat(S.copy(p)).usingRecursiveComparison().isEqualTo(p);
        assertThat(S.copy(p).seen).isNotSameAs(p.seen);
    }

    @Test
    void districtOutsideTheFacilityIdRoundTrips() throws Exception {
        ParcelState p = new ParcelState();
        p.stayKey = "110101/SORTING_CENTER";
        p.stayType = FacilityType.SORTING_CENTER;
        p.stayFacility = "HUB-BEIJING-3";
        p.stayOpen = 1_794_000_000_123L;
        p.lastScan = 1_794_000_000_123L;
        assertThat(roundTrip(p)).usingRecursiveComparison().isEqualTo(p);
    }

    /**
     * The size the state-per-parcel figures rest on: a parcel inside a station after four counted scans is 51 bytes
     * (flags 1, last scan 6, timer 3, stay opening 1, facility id 13, district 2, hash count 1, hashes 24).
     */
    @Test
    void aParcelInTransitTakes51Bytes() throws Exception {
        ParcelState p = new ParcelState();
        p.lastScan = 1_794_000_000_123L;
        p.stayOpen = p.lastScan;
        p.stayKey = "330482/STATION";
        p.stayType = FacilityType.STATION;
        p.stayFacility = "ST-330482-01";
        p.timer = p.lastScan + 72 * 3_600_000L;
        p.seen = new long[] {EventIdHash.of("a"), EventIdHash.of("b"), EventIdHash.of("c"), EventIdHash.of("d")};
        DataOutputSerializer out = new DataOutputSerializer(64);
        S.serialize(p, out);
        assertThat(out.length()).isEqualTo(51);
        assertThat(roundTrip(p)).usingRecursiveComparison().isEqualTo(p);
    }

    @Test
    void theStayTypeFitsInOneBit() {
        assertThat(FacilityType.values()).hasSize(2);
    }

    @Test
    void timesFarFromTheLastScanRoundTrip() throws Exception {
        ParcelState p = new ParcelState();
        p.lastScan = Long.MAX_VALUE - 1;
        p.timer = Long.MIN_VALUE + 1;
        p.deliveredAt = 0;
        assertThat(roundTrip(p)).usingRecursiveComparison().isEqualTo(p);
    }

    @Test
    void isCompatibleWithItsOwnSnapshot() throws Exception {
        TypeSerializerSnapshot<ParcelState> snapshot = S.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        TypeSerializerSnapshot<ParcelState> restored = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        TypeSerializer<ParcelState> restoredSerializer = restored.restoreSerializer();
        assertThat(restoredSerializer).isSameAs(S);
        TypeSerializerSchemaCompatibility<ParcelState> c = S.snapshotConfiguration().resolveSchemaCompatibility(restored);
        assertThat(c.isCompatibleAsIs()).isTrue();
    }
}
