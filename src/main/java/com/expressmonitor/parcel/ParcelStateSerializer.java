package com.expressmonitor.parcel;

import com.expressmonitor.district.DistrictDelta;
import com.expressmonitor.event.CompactBinary;
import com.expressmonitor.event.FacilityType;
import com.expressmonitor.event.ScanEvent;
import com.expressmonitor.event.ScanEventSerializer;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.util.ArrayList;

/**
 * Compact binary form of {@link ParcelState}, the one value kept per parcel: a flag byte, the last scan time in full
 * and the other times as variable-length differences from it, the open stay's district and facility type instead of
 * their key text, the counted-id hashes, and the (usually empty) pending scans. About half the size of the generic
 * POJO form, with no reflection. No Kryo is involved; {@link ParcelState} itself stays a valid POJO.
 */
public final class ParcelStateSerializer extends TypeSerializerSingleton<ParcelState> {
    private static final long serialVersionUID = 1L;
    public static final ParcelStateSerializer INSTANCE = new ParcelStateSerializer();

    private static final long NONE = Long.MIN_VALUE;
    private static final int HAS_STAY = 1;
    private static final int HAS_LAST_SCAN = 2;
    private static final int HAS_DELIVERED = 4;
    private static final int HAS_TIMER = 8;
    private static final int HAS_PENDING = 16;
    private static final int HAS_SEEN = 32;

    private static final ThreadLocal<DataOutputSerializer> SCRATCH =
            ThreadLocal.withInitial(() -> new DataOutputSerializer(256));

    private static final FacilityType[] FACILITY_TYPES = FacilityType.values();

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

    @Override
    public void serialize(ParcelState s, DataOutputView view) throws IOException {
        // Built in a per-thread scratch buffer and written in one call: byte-by-byte writes to the view cost more.
        DataOutputSerializer out = SCRATCH.get();
        out.clear();
        int flags = (s.stayKey != null ? HAS_STAY : 0) | (s.lastScan != NONE ? HAS_LAST_SCAN : 0)
                | (s.deliveredAt != NONE ? HAS_DELIVERED : 0) | (s.timer != NONE ? HAS_TIMER : 0)
                | (!s.pending.isEmpty() ? HAS_PENDING : 0) | (s.seen.length > 0 ? HAS_SEEN : 0);
        out.writeByte(flags);
        long base = s.lastScan != NONE ? s.lastScan : 0;
        if (s.lastScan != NONE) {
            out.writeLong(s.lastScan);
        }
        if (s.deliveredAt != NONE) {
            CompactBinary.writeVarLong(out, s.deliveredAt - base);
        }
        if (s.timer != NONE) {
            CompactBinary.writeVarLong(out, s.timer - base);
        }
        if (s.stayKey != null) {
            CompactBinary.writeVarLong(out, s.stayOpen - base);
            out.writeByte(s.stayType.ordinal());
            CompactBinary.writeString(out, DistrictDelta.districtOf(s.stayKey));
            CompactBinary.writeString(out, s.stayFacility);
        }
        if (s.seen.length > 0) {
            CompactBinary.writeVarInt(out, s.seen.length);
            for (long h : s.seen) {
                out.writeLong(h);
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

    @Override
    public ParcelState deserialize(DataInputView in) throws IOException {
        ParcelState s = new ParcelState();
        int flags = in.readUnsignedByte();
        long base = 0;
        if ((flags & HAS_LAST_SCAN) != 0) {
            s.lastScan = in.readLong();
            base = s.lastScan;
        }
        if ((flags & HAS_DELIVERED) != 0) {
            s.deliveredAt = base + CompactBinary.readVarLong(in);
        }
        if ((flags & HAS_TIMER) != 0) {
            s.timer = base + CompactBinary.readVarLong(in);
        }
        if ((flags & HAS_STAY) != 0) {
            s.stayOpen = base + CompactBinary.readVarLong(in);
            s.stayType = FACILITY_TYPES[in.readUnsignedByte()];
            s.stayKey = DistrictDelta.key(CompactBinary.readString(in), s.stayType);
            s.stayFacility = CompactBinary.readString(in);
        }
        if ((flags & HAS_SEEN) != 0) {
            long[] seen = new long[CompactBinary.readVarInt(in)];
            for (int i = 0; i < seen.length; i++) {
                seen[i] = in.readLong();
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
        return new Snapshot();
    }

    /** Restores the serializer from checkpoints and savepoints; the format has one version. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ParcelState> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
