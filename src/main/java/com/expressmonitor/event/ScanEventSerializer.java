package com.expressmonitor.event;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * Wire form of a valid {@link ScanEvent} between the classifier and the parcel tracker: the scan's fields in a fixed
 * order, strings in {@link CompactBinary}'s form, enums as one byte, no reflection. {@link ScanEvent}
 * stays a Flink POJO; this serializer is used where the pipeline names {@link #TYPE}.
 */
public final class ScanEventSerializer extends TypeSerializerSingleton<ScanEvent> {
    private static final long serialVersionUID = 1L;
    public static final ScanEventSerializer INSTANCE = new ScanEventSerializer();
    /** Type information of the scan stream that uses this serializer. */
    public static final TypeInformation<ScanEvent> TYPE = new Type();

    private static final ScanType[] SCAN_TYPES = ScanType.values();
    private static final FacilityType[] FACILITY_TYPES = FacilityType.values();

    @Override
    public boolean isImmutableType() {
        return true; // a record
    }

    @Override
    public ScanEvent createInstance() {
        return null;
    }

    @Override
    public ScanEvent copy(ScanEvent from) {
        return from;
    }

    @Override
    public ScanEvent copy(ScanEvent from, ScanEvent reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(ScanEvent e, DataOutputView out) throws IOException {
        CompactBinary.writeString(out, e.eventId());
        CompactBinary.writeString(out, e.waybillNo());
        out.writeByte(e.scanType().ordinal());
        CompactBinary.writeString(out, e.facilityId());
        out.writeByte(e.facilityType().ordinal());
        CompactBinary.writeString(out, e.districtCode());
        out.writeBoolean(e.carrier() != null);
        if (e.carrier() != null) {
            CompactBinary.writeString(out, e.carrier());
        }
        out.writeLong(e.eventTime());
    }

    @Override
    public ScanEvent deserialize(DataInputView in) throws IOException {
        String id = CompactBinary.readString(in);
        String waybill = CompactBinary.readString(in);
        ScanType type = SCAN_TYPES[in.readUnsignedByte()];
        String facility = CompactBinary.readString(in);
        FacilityType facilityType = FACILITY_TYPES[in.readUnsignedByte()];
        String district = CompactBinary.readString(in);
        String carrier = in.readBoolean() ? CompactBinary.readString(in) : null;
        return new ScanEvent(id, waybill, type, facility, facilityType, district, carrier, in.readLong());
    }

    @Override
    public ScanEvent deserialize(ScanEvent reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<ScanEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer; the format has one version. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ScanEvent> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    private static final class Type extends TypeInformation<ScanEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean isBasicType() {
            return false;
        }

        @Override
        public boolean isTupleType() {
            return false;
        }

        @Override
        public int getArity() {
            return 1;
        }

        @Override
        public int getTotalFields() {
            return 1;
        }

        @Override
        public Class<ScanEvent> getTypeClass() {
            return ScanEvent.class;
        }

        @Override
        public boolean isKeyType() {
            return false;
        }

        @Override
        public TypeSerializer<ScanEvent> createSerializer(SerializerConfig config) {
            return INSTANCE;
        }

        @Override
        public String toString() {
            return "ScanEvent (compact)";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Type;
        }

        @Override
        public int hashCode() {
            return Type.class.hashCode();
        }

        @Override
        public boolean canEqual(Object o) {
            return o instanceof Type;
        }
    }
}
