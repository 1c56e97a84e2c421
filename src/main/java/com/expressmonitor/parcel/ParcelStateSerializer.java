package com.expressmonitor.parcel;

import com.expressmonitor.district.DistrictDelta;
import com.expressmonitor.event.CompactBinary;
import com.expressmonitor.event.FacilityType;
import com.expressmonitor.event.ScanEvent;
import com.expressmonitor.event.ScanEventSerializer;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.util.ArrayList;

/**
 * Compact binary form of {@link ParcelState}, the one value kept per parcel, about a third of the generic POJO
 * form, with no reflection and no Kryo ({@link ParcelState} itself stays a valid POJO).
 *
 * <p>Layout: a flag byte (which fields follow, the open stay's facility type, and whether the stay's district code
 * is written as a place in its facility id); the last scan time as a variable-length number (6 bytes for current
 * times); the other times as differences from it, in whole seconds when they are (configured durations); the open
 * stay's facility id and its district code, which real and generated facility ids often contain ({@code ST-330482-01}
 * in district {@code 330482}: then 2 bytes instead of the code); the 48-bit hashes of the counted event ids kept
 * here, 6 bytes each, after their count and whether further ones are kept apart; and the (usually empty) scans still
 * waiting for the watermark.
 */
public class ParcelStateSerializer extends TypeSerializerSingleton<ParcelState> {
    private static final long serialVersionUID = 1L;
    public static final ParcelStateSerializer INSTANCE = new ParcelStateSerializer();

    private static final long NONE = Long.MIN_VALUE;
    private static final int HAS_STAY = 1;
    private static final int HAS_LAST_SCAN = 2;
    private static final int HAS_DELIVERED = 4;
    private static final int HAS_TIMER = 8;
    private static final int HAS_PENDING = 16;
    private static final int HAS_SEEN = 32;
    /** The open stay is in a {@link FacilityType#STATION} (else a sorting center): there are two facility types. */
    private static final int STAY_AT_STATION = 64;
    /** The open stay's district code is written as its place in the facility id. */
    private static final int DISTRICT_IN_FACILITY = 128;

    private static final ThreadLocal<DataOutputSerializer> SCRATCH =
            ThreadLocal.withInitial(() -> new DataOutputSerializer(256));

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public ParcelState createInstance() {
        return new ParcelState();
    }

    @Override
    public ParcelState copy(ParcelState from) {
        ParcelState to = new ParcelState();
        to.pending = new ArrayList<>(from.pending); // scan events are immutable
        to.seen = from.seen.clone();
        to.seenOverflow = from.seenOverflow;
        to.stayKey = from.stayKey;
        to.stayFacility = from.stayFacility;
        to.stayType = from.stayType;
        to.stayOpen = from.stayOpen;
        to.lastScan = from.lastScan;
        to.deliveredAt = from.deliveredAt;
        to.timer = from.timer;
        return to;
    }

    @Override
    public ParcelState copy(ParcelState from, ParcelState reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    /** Whether this serializer reads and writes the first format ({@link Version1}). */
    boolean version1() {
        return false;
    }

    @Override
    public void serialize(ParcelState s, DataOutputView view) throws IOException {
        write(s, view, version1());
    }

    /** Writes the state, with the count of counted ids as the first format had it ({@code version1}) or as now. */
    private static void write(ParcelState s, DataOutputView view, boolean version1) throws IOException {
        if (version1 && s.seenOverflow) {
            throw new IllegalStateException("the first format keeps every counted event id in the value");
        }
        // Built in a per-thread scratch buffer and written in one call: byte-by-byte writes to the view cost more.
        DataOutputSerializer out = SCRATCH.get();
        out.clear();
        int districtLength = s.stayKey != null ? s.stayKey.indexOf('/') : 0; // the key is DISTRICT/TYPE
        int districtAt = districtLength > 0 ? placeIn(s.stayFacility, s.stayKey, districtLength) : -1;
        int flags = (s.stayKey != null ? HAS_STAY : 0) | (s.lastScan != NONE ? HAS_LAST_SCAN : 0)
                | (s.deliveredAt != NONE ? HAS_DELIVERED : 0) | (s.timer != NONE ? HAS_TIMER : 0)
                | (!s.pending.isEmpty() ? HAS_PENDING : 0) | (s.seen.length > 0 || s.seenOverflow ? HAS_SEEN : 0)
                | (s.stayType == FacilityType.STATION ? STAY_AT_STATION : 0)
                | (districtAt >= 0 ? DISTRICT_IN_FACILITY : 0);
        out.writeByte(flags);
        long base = s.lastScan != NONE ? s.lastScan : 0;
        if (s.lastScan != NONE) {
            CompactBinary.writeVarLong(out, s.lastScan);
        }
        if (s.deliveredAt != NONE) {
            CompactBinary.writeMillisDiff(out, s.deliveredAt - base);
        }
        if (s.timer != NONE) {
            CompactBinary.writeMillisDiff(out, s.timer - base);
        }
        if (s.stayKey != null) {
            CompactBinary.writeMillisDiff(out, s.stayOpen - base);
            CompactBinary.writeString(out, s.stayFacility);
            if (districtAt >= 0) {
                CompactBinary.writeVarInt(out, districtAt);
                CompactBinary.writeVarInt(out, districtLength);
            } else {
                CompactBinary.writeString(out, DistrictDelta.districtOf(s.stayKey));
            }
        }
        if (s.seen.length > 0 || s.seenOverflow) {
            CompactBinary.writeVarInt(out, version1 ? s.seen.length : s.seen.length << 1 | (s.seenOverflow ? 1 : 0));
            for (long h : s.seen) {
                out.writeShort((int) (h >>> 32)); // the hashes have 48 bits
                out.writeInt((int) h);
            }
        }
        if (!s.pending.isEmpty()) {
            CompactBinary.writeVarInt(out, s.pending.size());
            for (ScanEvent e : s.pending) {
                ScanEventSerializer.INSTANCE.serialize(e, out);
            }
        }
        view.write(out.getSharedBuffer(), 0, out.length());
    }

    /** Where the first {@code length} chars of {@code key} occur in {@code facility}, or -1 (no substring made). */
    private static int placeIn(String facility, String key, int length) {
        for (int at = 0; at + length <= facility.length(); at++) {
            if (facility.regionMatches(at, key, 0, length)) {
                return at;
            }
        }
        return -1;
    }

    @Override
    public ParcelState deserialize(DataInputView in) throws IOException {
        return read(in, version1());
    }

    /** Reads a state written in the first format ({@code version1}) or as now. */
    private static ParcelState read(DataInputView in, boolean version1) throws IOException {
        ParcelState s = new ParcelState();
        int flags = in.readUnsignedByte();
        long base = 0;
        if ((flags & HAS_LAST_SCAN) != 0) {
            s.lastScan = CompactBinary.readVarLong(in);
            base = s.lastScan;
        }
        if ((flags & HAS_DELIVERED) != 0) {
            s.deliveredAt = base + CompactBinary.readMillisDiff(in);
        }
        if ((flags & HAS_TIMER) != 0) {
            s.timer = base + CompactBinary.readMillisDiff(in);
        }
        if ((flags & HAS_STAY) != 0) {
            s.stayOpen = base + CompactBinary.readMillisDiff(in);
            s.stayType = (flags & STAY_AT_STATION) != 0 ? FacilityType.STATION : FacilityType.SORTING_CENTER;
            s.stayFacility = CompactBinary.readString(in);
            String district;
            if ((flags & DISTRICT_IN_FACILITY) != 0) {
                int at = CompactBinary.readVarInt(in);
                district = s.stayFacility.substring(at, at + CompactBinary.readVarInt(in));
            } else {
                district = CompactBinary.readString(in);
            }
            s.stayKey = DistrictDelta.key(district, s.stayType);
        }
        if ((flags & HAS_SEEN) != 0) {
            int count = CompactBinary.readVarInt(in);
            if (!version1) {
                s.seenOverflow = (count & 1) != 0;
                count >>>= 1;
            }
            long[] seen = new long[count];
            for (int i = 0; i < seen.length; i++) {
                long high = in.readUnsignedShort();
                seen[i] = (high << 32) | (in.readInt() & 0xFFFFFFFFL);
            }
            s.seen = seen;
        }
        if ((flags & HAS_PENDING) != 0) {
            int n = CompactBinary.readVarInt(in);
            for (int i = 0; i < n; i++) {
                s.pending.add(ScanEventSerializer.INSTANCE.deserialize(in));
            }
        }
        return s;
    }

    @Override
    public ParcelState deserialize(ParcelState reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<ParcelState> snapshotConfiguration() {
        return new SnapshotV2();
    }

    /**
     * The current format's snapshot. State written in the first format (snapshot {@link Snapshot}, before a parcel's
     * counted ids beyond the first few moved to a map state) is migrated on restore: read with {@link Version1},
     * written again in this format (a savepoint of an earlier version restores, every parcel's ids kept in its value).
     */
    public static final class SnapshotV2 extends SimpleTypeSerializerSnapshot<ParcelState> {
        public SnapshotV2() {
            super(() -> INSTANCE);
        }

        @Override
        public TypeSerializerSchemaCompatibility<ParcelState> resolveSchemaCompatibility(
                TypeSerializerSnapshot<ParcelState> oldSerializerSnapshot) {
            return oldSerializerSnapshot instanceof Snapshot ? TypeSerializerSchemaCompatibility.compatibleAfterMigration()
                    : super.resolveSchemaCompatibility(oldSerializerSnapshot);
        }
    }

    /** The first format's snapshot, as checkpoints and savepoints of earlier versions name it. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ParcelState> {
        public Snapshot() {
            super(() -> Version1.INSTANCE);
        }
    }

    /** The first format: the count of counted event ids without the flag of ids kept apart (there were none). */
    public static final class Version1 extends ParcelStateSerializer {
        private static final long serialVersionUID = 1L;
        public static final Version1 INSTANCE = new Version1();

        @Override
        boolean version1() {
            return true;
        }

        @Override
        public TypeSerializerSnapshot<ParcelState> snapshotConfiguration() {
            return new Snapshot();
        }
    }
}
