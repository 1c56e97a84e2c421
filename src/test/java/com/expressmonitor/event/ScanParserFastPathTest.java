package com.expressmonitor.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.expressmonitor.generator.NetworkModel;
import com.expressmonitor.generator.TrafficSimulator;

import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The flat-record reader that skips the streaming parser for the common shape of a record gives exactly what the
 * streaming parser gives (the same event, or the same rejection with the same message), on generated traffic and on
 * hundreds of thousands of mutations of it, and it is taken for the generator's ordinary records.
 */
class ScanParserFastPathTest {
    private static final long NOW = 1_893_456_000_000L;
    private static final Map<String, FacilityInfo> REGISTRY =
            Map.of("ST-330482-01", new FacilityInfo(FacilityType.STATION, "330482"));

    private static String outcome(ScanParser parser, byte[] line) {
        ScanRecord r = parser.parse(line, "t:", 7);
        return r.event + " | " + r.reason + " | " + r.detail + " | " + (r.raw == null ? "-" : Arrays.toString(r.raw))
                + " | " + r.partition + r.position;
    }

    private static List<byte[]> generated(int parcels) {
        TrafficSimulator sim = new TrafficSimulator(NetworkModel.demo(), LocalDate.of(2026, 11, 11),
                ZoneOffset.ofHours(8), parcels, 3, 0, 1);
        List<byte[]> lines = new ArrayList<>();
        while (sim.hasNext()) {
            lines.add(sim.next());
        }
        return lines;
    }

    private static void assertSame(List<byte[]> lines) {
        ScanParser fast = new ScanParser(REGISTRY, 86_400_000L, () -> NOW);
        ScanParser slow = new ScanParser(REGISTRY, 86_400_000L, () -> NOW);
        slow.fastPath = false;
        for (byte[] line : lines) {
            assertThat(outcome(fast, line)).as(new String(line, StandardCharsets.UTF_8)).isEqualTo(outcome(slow, line));
        }
    }

    @Test
    void generatedTrafficParsesTheSame() {
        List<byte[]> lines = generated(3_000);
        assertSame(lines);
        int flat = 0;
        for (byte[] line : lines) {
            if (ScanParser.readFlat(line, 0, line.length, new JsonToken[8], new String[8], new long[1])) {
                flat++;
            }
        }
        assertThat(flat).as("records read without the streaming parser").isGreaterThan(lines.size() * 9 / 10);
    }

    @Test
    void handWrittenShapesParseTheSame() {
        String base = "{\"eventId\":\"e1\",\"waybillNo\":\"W1\",\"scanType\":\"ARRIVED\",\"facilityId\":\"ST-330482-01\",";
        List<String> cases = List.of(
                base + "\"eventTime\":1794355200000}",
                base + "\"eventTime\":\"2026-11-11T08:00:00Z\"}",
                base + "\"eventTime\":-1}", base + "\"eventTime\":01794355200000}", base + "\"eventTime\":0}",
                base + "\"eventTime\":1794355200000.0}", base + "\"eventTime\":1.7e12}",
                base + "\"eventTime\":12345678901234567890}", base + "\"eventTime\":123456789012345678}",
                base + "\"eventTime\":1794355200000 }", base + "\"eventTime\" : 1794355200000 } \n",
                base + "\"eventTime\":1794355200000}x", base + "\"eventTime\":1794355200000}}",
                base + "\"eventTime\":1794355200000,}", base + "\"eventTime\":1794355200000",
                base + "\"eventTime\":null}", base + "\"eventTime\":nul}", base + "\"eventTime\":nullx}",
                base + "\"eventTime\":true}", base + "\"eventTime\":[1]}", base + "\"eventTime\":{\"a\":1}}",
                base + "\"eventTime\":1794355200000,\"carrier\":null}",
                base + "\"eventTime\":1794355200000,\"carrier\":5}",
                base + "\"eventTime\":1794355200000,\"extra\":{\"x\":[1,2]}}",
                base + "\"eventTime\":1794355200000,\"eventId\":\"e2\"}",
                base + "\"eventTime\":1794355200000,\"eventId\":null}",
                base + "\"eventTime\":1794355200000,\"carrier\":\"顺丰\"}",
                base + "\"eventTime\":1794355200000,\"carrier\":\"a\\\"b\"}",
                base + "\"eventTime\":1794355200000,\"carrier\":\"a\\u0041\"}",
                base + "\"eventTime\":1794355200000,\"carrier\":\"tab\there\"}",
                base + "\"eventTime\":1794355200000,\"car\\u0072ier\":\"x\"}",
                base + "\f\"eventTime\":1794355200000}", "\u00a0" + base + "\"eventTime\":1794355200000}",
                "{}", " { } ", "{", "}", "", " ", "[]", "null", "\"x\"", "1", "{\"eventId\"}", "{\"eventId\":}",
                "{,}", "{\"a\":1,,\"b\":2}", "{'eventId':'e1'}", "{eventId:1}");
        List<byte[]> lines = new ArrayList<>();
        for (String c : cases) {
            lines.add(c.getBytes(StandardCharsets.UTF_8));
        }
        assertSame(lines);
    }

    @Test
    void mutatedTrafficParsesTheSame() {
        List<byte[]> lines = generated(1_000);
        Random random = new Random(11);
        byte[] alphabet = " \t\n\r\f{}[]:,\"\\-+.0123456789eEnultrfa/xé\u0001".getBytes(StandardCharsets.UTF_8);
        List<byte[]> mutants = new ArrayList<>();
        for (int round = 0; round < 40; round++) {
            for (byte[] line : lines) {
                byte[] m = line.clone();
                int edits = 1 + random.nextInt(3);
                for (int k = 0; k < edits && m.length > 0; k++) {
                    int at = random.nextInt(m.length);
                    byte b = alphabet[random.nextInt(alphabet.length)];
                    switch (random.nextInt(3)) {
                        case 0 -> m[at] = b;
                        case 1 -> m = insert(m, at, b);
                        default -> m = delete(m, at);
                    }
                }
                mutants.add(m);
            }
        }
        assertSame(mutants);
    }

    private static byte[] insert(byte[] a, int at, byte b) {
        byte[] r = new byte[a.length + 1];
        System.arraycopy(a, 0, r, 0, at);
        r[at] = b;
        System.arraycopy(a, at, r, at + 1, a.length - at);
        return r;
    }

    private static byte[] delete(byte[] a, int at) {
        byte[] r = new byte[a.length - 1];
        System.arraycopy(a, 0, r, 0, at);
        System.arraycopy(a, at + 1, r, at, a.length - at - 1);
        return r;
    }
}
