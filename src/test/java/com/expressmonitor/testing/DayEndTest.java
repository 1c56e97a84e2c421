package com.expressmonitor.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.expressmonitor.event.ScanEvent;
import com.expressmonitor.event.ScanParser;
import com.expressmonitor.event.ScanRecord;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

class DayEndTest {
    private static final ScanParser PARSER = new ScanParser(Map.of(), Duration.ofDays(10_000).toMillis());

    private static byte[] scan(String waybill, String facility, String district, String time) {
        return ("{\"eventId\":\"" + waybill + "-1\",\"waybillNo\":\"" + waybill + "\",\"scanType\":\"DEPARTED\","
                + "\"facilityId\":\"" + facility + "\",\"facilityType\":\"STATION\",\"districtCode\":\"" + district
                + "\",\"carrier\":\"ZTO\",\"eventTime\":\"" + time + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void eachPartitionGetsAValidScanOfItsOwnParcelAMinuteAfterTheLatestScanCopiedFromItsLastWellFormedOne() {
        byte[] p0Last = scan("ZTO1", "ST-310101-05", "310101", "2026-11-11T23:46:08+08:00");
        byte[] p1Last = scan("ZTO2", "ST-140105-01", "140105", "2026-11-12T04:51:41+08:00");
        String cutOff = new String(scan("ZTO3", "ST-1", "1", "2026-11-12T05:00:00+08:00"), StandardCharsets.UTF_8);
        Map<Integer, List<byte[]>> input = Map.of(
                0, List.of(scan("ZTO0", "ST-220202-01", "220202", "2026-11-11T08:00:00+08:00"), p0Last,
                        "{\"waybillNo\":\"#ZTO4\",\"eventTime\":\"2026-11-12T06:00:00+08:00\"}".getBytes(StandardCharsets.UTF_8)),
                1, List.of(p1Last, cutOff.substring(0, cutOff.length() / 2).getBytes(StandardCharsets.UTF_8)));

        Map<Integer, byte[]> ends = DayEnd.scans(input);

        assertThat(ends).containsOnlyKeys(0, 1);
        for (int p : List.of(0, 1)) {
            ScanRecord r = PARSER.parse(ends.get(p), "p" + p, 0);
            assertThat(r.isValid()).as("partition %d: %s", p, r.detail).isTrue();
            ScanEvent e = r.event;
            assertThat(e.waybillNo()).isEqualTo("END" + p);
            assertThat(e.eventId()).isEqualTo("END" + p + "-A");
            assertThat(e.scanType().name()).isEqualTo("ARRIVED");
            // The garbled records (a marked waybill, a record cut off) count neither for the time nor as the copy.
            assertThat(e.eventTime()).isEqualTo(OffsetDateTime.parse("2026-11-12T04:52:41+08:00").toInstant().toEpochMilli());
        }
        assertThat(PARSER.parse(ends.get(0), "p0", 0).event.facilityId()).isEqualTo("ST-310101-05");
        assertThat(PARSER.parse(ends.get(1), "p1", 0).event.districtCode()).isEqualTo("140105");
    }

    @Test
    void aPartitionWithoutAWellFormedScanIsRefused() {
        assertThatThrownBy(() -> DayEnd.scans(Map.of(0, List.of(scan("ZTO1", "ST-1", "1", "2026-11-11T08:00:00+08:00")),
                1, List.of("not json".getBytes(StandardCharsets.UTF_8)))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
