package com.expressmonitor.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.expressmonitor.alert.Alert;
import com.expressmonitor.alert.AlertState;
import com.expressmonitor.district.DistrictDelta;
import com.expressmonitor.district.DistrictMetrics;
import com.expressmonitor.district.RunningTotals;
import com.expressmonitor.parcel.ParcelState;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

/** Every record type on the wire or in state is a Flink POJO, so no Kryo is involved (generic types are off). */
class PojoSerializationTest {
    @ParameterizedTest
    @ValueSource(classes = {ScanEvent.class, ScanRecord.class, DeadLetter.class, LateEvent.class, DistrictDelta.class,
        DistrictMetrics.class, RunningTotals.class, Alert.class, AlertState.class, ParcelState.class,
        ScanClassifier.PartitionHighWater.class})
    void isAPojo(Class<?> type) {
        TypeInformation<?> info = TypeInformation.of(type);
        assertThat(info).isInstanceOf(PojoTypeInfo.class);
        // Creating the serializer fails if any field would need Kryo.
        assertThat(info.createSerializer(noGenericTypes())).isNotNull();
    }

    private static SerializerConfigImpl noGenericTypes() {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        return config;
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest
    @ValueSource(strings = {"parcel"})
    void parcelStateRoundTrips(String ignored) throws Exception {
        TypeSerializer<ParcelState> s = (TypeSerializer<ParcelState>) TypeInformation.of(ParcelState.class)
                .createSerializer(noGenericTypes());
        ParcelState p = new ParcelState();
        List<ScanEvent> pending = new ArrayList<>();
        pending.add(new ScanEvent("e", "W", ScanType.ARRIVED, "F", FacilityType.STATION, "330482", null, 5L));
        p.pending = pending;
        p.seen = new long[] {1, 2};
        p.stayKey = "330482/STATION";
        p.stayType = FacilityType.STATION;
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(p, out);
        ParcelState back = s.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back).usingRecursiveComparison().isEqualTo(p);
    }
}
