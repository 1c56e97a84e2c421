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

    /** A snapshot as a checkpoint or savepoint stores it and as a restore reads it back. */
    private TypeSerializerSnapshot<ParcelState> stored(TypeSerializerSnapshot<ParcelState> snapshot) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        return TypeSerializerSnapshot.readVersionedSnapshot(new DataInputDeserializer(out.getCopyOfBuffer()),
                getClass().getClassLoader());
    }

    @Test
    void isCompatibleWithItsOwnSnapshot() throws Exception {
        TypeSerializerSnapshot<ParcelState> restored = stored(S.snapshotConfiguration());
        TypeSerializer<ParcelState> restoredSerializer = restored.restoreSerializer();
        assertThat(restoredSerializer).isSameAs(S);
        TypeSerializerSchemaCompatibility<ParcelState> c = S.snapshotConfiguration().resolveSchemaCompatibility(restored);
        assertThat(c.isCompatibleAsIs()).isTrue();
    }

    /**
     * A parcel (open stay, three counted ids, a pending scan) as the first format wrote it, in the savepoints of the
     * versions before a parcel's further counted ids were kept apart: bytes written by that version's serializer.
     */
    private static final String VERSION1 = "fb80d0dcabb668808c15be701853542d3333303438322d3031030603123456789abc0000fedcba98"
            + "00000000002a0104653906572d31041853542d3333303438322d3031010c33333034383201065a544f000001a1b2bc7e60";

    @Test
    void stateOfTheFirstFormatIsMigratedOnRestore() throws Exception {
        // A savepoint of an earlier version names the first format's snapshot: the current serializer migrates it.
        TypeSerializerSnapshot<ParcelState> old = stored(new ParcelStateSerializer.Snapshot());
        assertThat(S.snapshotConfiguration().resolveSchemaCompatibility(old).isCompatibleAfterMigration()).isTrue();
        // The migration reads each value with the old snapshot's serializer...
        byte[] bytes = java.util.HexFormat.of().parseHex(VERSION1);
        ParcelState p = old.restoreSerializer().deserialize(new DataInputDeserializer(bytes));
        assertThat(p.seen).containsExactly(0x123456789ABCL, 0xFEDCBA98L, 42L);
        assertThat(p.seenOverflow).isFalse();
        assertThat(p.stayKey).isEqualTo("330482/STATION");
        assertThat(p.stayFacility).isEqualTo("ST-330482-01");
        assertThat(p.stayOpen).isEqualTo(1_794_000_000_000L - 3_600_000L);
        assertThat(p.timer).isEqualTo(1_794_000_000_000L + 86_400_000L);
        assertThat(p.pending).extracting(ScanEvent::eventId).containsExactly("e9");
        // ...and writes it in the current format, which keeps all of it.
        assertThat(roundTrip(p)).usingRecursiveComparison().isEqualTo(p);
        // The old serializer writes the same bytes again (it is the first format, not an approximation of it).
        DataOutputSerializer out = new DataOutputSerializer(64);
        old.restoreSerializer().serialize(p, out);
        assertThat(out.getCopyOfBuffer()).isEqualTo(bytes);
    }
}
