package com.expressmonitor.parcel;

import com.expressmonitor.district.DistrictDelta;
import com.expressmonitor.event.FacilityType;
import com.expressmonitor.event.ScanEvent;
import com.expressmonitor.event.ScanType;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

    private static final ScanType[] SCAN_TYPES = ScanType.values();
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
            writeVarLong(out, s.deliveredAt - base);
        }
        if (s.timer != NONE) {
            writeVarLong(out, s.timer - base);
        }
        if (s.stayKey != null) {
            writeVarLong(out, s.stayOpen - base);
            out.writeByte(s.stayType.ordinal());
            writeString(out, DistrictDelta.districtOf(s.stayKey));
            writeString(out, s.stayFacility);
        }
        if (s.seen.length > 0) {
            writeVarInt(out, s.seen.length);
            for (long h : s.seen) {
                out.writeLong(h);
            }
        }
        if (!s.pending.isEmpty()) {
            writeVarInt(out, s.pending.size());
            for (ScanEvent e : s.pending) {
                writeString(out, e.eventId());
                writeString(out, e.waybillNo());
                out.writeByte(e.scanType().ordinal());
                writeString(out, e.facilityId());
                out.writeByte(e.facilityType().ordinal());
                writeString(out, e.districtCode());
                out.writeBoolean(e.carrier() != null);
                if (e.carrier() != null) {
                    writeString(out, e.carrier());
                }
                out.writeLong(e.eventTime());
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
            s.deliveredAt = base + readVarLong(in);
        }
        if ((flags & HAS_TIMER) != 0) {
            s.timer = base + readVarLong(in);
        }
        if ((flags & HAS_STAY) != 0) {
            s.stayOpen = base + readVarLong(in);
            s.stayType = FACILITY_TYPES[in.readUnsignedByte()];
            s.stayKey = DistrictDelta.key(readString(in), s.stayType);
            s.stayFacility = readString(in);
        }
        if ((flags & HAS_SEEN) != 0) {
            long[] seen = new long[readVarInt(in)];
            for (int i = 0; i < seen.length; i++) {
                seen[i] = in.readLong();
            }
            s.seen = seen;
        }
        if ((flags & HAS_PENDING) != 0) {
            int n = readVarInt(in);
            for (int i = 0; i < n; i++) {
                String id = readString(in);
                String waybill = readString(in);
                ScanType type = SCAN_TYPES[in.readUnsignedByte()];
                String facility = readString(in);
                FacilityType facilityType = FACILITY_TYPES[in.readUnsignedByte()];
                String district = readString(in);
                String carrier = in.readBoolean() ? readString(in) : null;
                s.pending.add(new ScanEvent(id, waybill, type, facility, facilityType, district, carrier, in.readLong()));
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

    private static void writeString(DataOutputView out, String s) throws IOException {
        int n = s.length();
        boolean ascii = true;
        for (int i = 0; i < n && ascii; i++) {
            ascii = s.charAt(i) < 0x80;
        }
        if (ascii) {
            writeVarInt(out, n << 1);
            for (int i = 0; i < n; i++) {
                out.writeByte(s.charAt(i));
            }
        } else {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            writeVarInt(out, (b.length << 1) | 1);
            out.write(b);
        }
    }

    private static String readString(DataInputView in) throws IOException {
        int h = readVarInt(in);
        byte[] b = new byte[h >>> 1];
        in.readFully(b);
        return new String(b, (h & 1) == 0 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    private static void writeVarInt(DataOutputView out, int v) throws IOException {
        while ((v & ~0x7F) != 0) {
            out.writeByte((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.writeByte(v);
    }

    private static int readVarInt(DataInputView in) throws IOException {
        int v = 0;
        for (int shift = 0; ; shift += 7) {
            int b = in.readUnsignedByte();
            v |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
    }

    /** Zig-zag, variable length: small differences of either sign take few bytes. */
    private static void writeVarLong(DataOutputView out, long v) throws IOException {
        long z = (v << 1) ^ (v >> 63);
        while ((z & ~0x7FL) != 0) {
            out.writeByte((int) ((z & 0x7F) | 0x80));
            z >>>= 7;
        }
        out.writeByte((int) z);
    }

    private static long readVarLong(DataInputView in) throws IOException {
        long z = 0;
        for (int shift = 0; ; shift += 7) {
            int b = in.readUnsignedByte();
            z |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return (z >>> 1) ^ -(z & 1);
            }
        }
    }
}
