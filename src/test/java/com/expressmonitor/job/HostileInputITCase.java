package com.expressmonitor.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.expressmonitor.config.ConfigLoader;
import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.generator.NetworkModel;
import com.expressmonitor.generator.TrafficSimulator;
import com.expressmonitor.testing.PipelineRun;
import com.expressmonitor.testing.PipelineRun.Result;
import com.expressmonitor.testing.TestCluster;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Hostile input cannot slow the job down, stop it or change its results: a seeded day of good scans is replayed
 * once as it is and once with bad records mixed in (invalid UTF-8, NUL bytes, truncated JSON and JSON with trailing
 * garbage, nesting thousands deep, a 10 MB line, numbers past 64 bits, absurd and zone-less times) and with storms
 * of repeated scans. The job runs without restarts; every bad record is a dead letter with its reason, every repeat a
 * duplicate, and the metrics and alerts are those of the good records alone.
 */
class HostileInputITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestCluster.twoSlots();

    @TempDir
    Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GOOD =
            "{\"eventId\":\"h%d\",\"waybillNo\":\"HOSTILE%d\",\"scanType\":\"ARRIVED\",\"facilityId\":\"ST-330482-01\","
                    + "\"facilityType\":\"STATION\",\"districtCode\":\"330482\",\"eventTime\":%s}";

    /** A bad record and the reason it must be rejected with. */
    private record Bad(byte[] line, String reason) {}

    private static List<Bad> badRecords(Random random) {
        List<Bad> bad = new ArrayList<>();
        String time = "\"2026-11-11T12:00:00+08:00\"";
        // not UTF-8, and a NUL byte raw inside a string or alone
        bad.add(new Bad(concat("{\"eventId\":\"".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xC3, 0x28},
                "\"}".getBytes(StandardCharsets.UTF_8)), "MALFORMED_JSON"));
        bad.add(new Bad(String.format(GOOD, 1, 1, time).replace("HOSTILE1", "HOST\u0000ILE1")
                .getBytes(StandardCharsets.UTF_8), "MALFORMED_JSON"));
        bad.add(new Bad(new byte[] {0, 0, 0}, "MALFORMED_JSON"));
        // truncated, trailing garbage, two objects on one line
        String good = String.format(GOOD, 2, 2, time);
        bad.add(new Bad(good.substring(0, good.length() / 2).getBytes(StandardCharsets.UTF_8), "MALFORMED_JSON"));
        bad.add(new Bad((good + " xyz").getBytes(StandardCharsets.UTF_8), "MALFORMED_JSON"));
        bad.add(new Bad((good + good).getBytes(StandardCharsets.UTF_8), "MALFORMED_JSON"));
        // nesting thousands deep, in a field the parser would otherwise ignore
        bad.add(new Bad(("{\"eventId\":\"n\",\"x\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}")
                .getBytes(StandardCharsets.UTF_8), "MALFORMED_JSON"));
        bad.add(new Bad(("{\"eventId\":\"n\",\"x\":" + "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000) + "}")
                .getBytes(StandardCharsets.UTF_8), "MALFORMED_JSON"));
        // a 10 MB line: an event id far longer than allowed
        bad.add(new Bad(String.format(GOOD, 3, 3, time).replace("\"h3\"", "\"" + "x".repeat(10 << 20) + "\"")
                .getBytes(StandardCharsets.UTF_8), "INVALID_FIELD"));
        // integers past 64 bits are whole numbers of milliseconds, far out of range; a float is not a time
        bad.add(new Bad(String.format(GOOD, 4, 4, "123456789012345678901234567890").getBytes(StandardCharsets.UTF_8),
                "TIMESTAMP_OUT_OF_RANGE"));
        bad.add(new Bad(String.format(GOOD, 5, 5, "1.7e308").getBytes(StandardCharsets.UTF_8), "INVALID_FIELD"));
        bad.add(new Bad(String.format(GOOD, 6, 6, "-9223372036854775809").getBytes(StandardCharsets.UTF_8),
                "TIMESTAMP_OUT_OF_RANGE"));
        // absurd times, and times without a zone
        bad.add(new Bad(String.format(GOOD, 7, 7, "\"9999-12-31T23:59:59Z\"").getBytes(StandardCharsets.UTF_8),
                "TIMESTAMP_OUT_OF_RANGE"));
        bad.add(new Bad(String.format(GOOD, 8, 8, "\"1970-01-01T00:00:00Z\"").getBytes(StandardCharsets.UTF_8),
                "TIMESTAMP_OUT_OF_RANGE"));
        bad.add(new Bad(String.format(GOOD, 9, 9, "-1").getBytes(StandardCharsets.UTF_8), "TIMESTAMP_OUT_OF_RANGE"));
        bad.add(new Bad(String.format(GOOD, 10, 10, "\"2026-11-11T12:00:00\"").getBytes(StandardCharsets.UTF_8),
                "INVALID_FIELD"));
        bad.add(new Bad(String.format(GOOD, 11, 11, "\"2026-13-45T25:61:61+08:00\"").getBytes(StandardCharsets.UTF_8),
                "INVALID_FIELD"));
        // random bytes
        for (int i = 0; i < 20; i++) {
            byte[] noise = new byte[1 + random.nextInt(200)];
            random.nextBytes(noise);
            for (int j = 0; j < noise.length; j++) {
                if (noise[j] == '\n' || noise[j] == '\r') {
                    noise[j] = '?';
                }
            }
            noise[0] = '#'; // never blank, never an object
            bad.add(new Bad(noise, "MALFORMED_JSON"));
        }
        return bad;
    }

    @Test
    void badRecordsAreDeadLettersAndRepeatsDuplicatesAndTheResultsAreThoseOfTheGoodRecords() throws Exception {
        MonitorConfig config = ConfigLoader.load(Path.of("config/demo.yaml"), Map.of(
                "alerts.defaults.SORTING_CENTER.backlog.yellow", "30", "alerts.defaults.SORTING_CENTER.backlog.red", "60",
                "alerts.defaults.STATION.backlog.yellow", "20", "alerts.defaults.STATION.backlog.red", "40"));
        TrafficSimulator sim = new TrafficSimulator(NetworkModel.from(config), LocalDate.of(2026, 11, 11),
                config.zoneOffset(), 3_000, 13, 0, 1);
        List<byte[]> good = new ArrayList<>();
        while (sim.hasNext()) {
            good.add(sim.next());
        }

        Random random = new Random(42);
        List<Bad> bad = badRecords(random);
        List<byte[]> hostile = new ArrayList<>();
        Map<String, Integer> expectedReasons = new TreeMap<>();
        int repeats = 0;
        int nextBad = 0;
        for (int i = 0; i < good.size(); i++) {
            hostile.add(good.get(i));
            if (i % 97 == 50 && nextBad < bad.size()) {
                Bad b = bad.get(nextBad++);
                hostile.add(b.line());
                expectedReasons.merge(b.reason(), 1, Integer::sum);
            }
            if (i % 1_000 == 500) {
                // A storm: the same scan again and again, right after itself (so not late: a re-send).
                for (int k = 0; k < 2_000; k++) {
                    hostile.add(good.get(i));
                }
                repeats += 2_000;
            }
        }
        assertThat(nextBad).isEqualTo(bad.size());
        write(dir.resolve("good.jsonl"), good);
        write(dir.resolve("hostile.jsonl"), hostile);

        Map<String, String> noRestarts = Map.of("restart-strategy.type", "none");
        Result clean = PipelineRun.run(config, PipelineRun.replayInput(config, dir.resolve("good.jsonl").toString()), 2,
                noRestarts, 0);
        Result attacked = PipelineRun.run(config, PipelineRun.replayInput(config, dir.resolve("hostile.jsonl").toString()),
                2, noRestarts, 0);

        assertThat(clean.metrics()).hasSizeGreaterThan(300);
        assertThat(clean.alerts()).isNotEmpty();
        assertThat(attacked.metrics()).isEqualTo(clean.metrics());
        assertThat(attacked.alerts()).isEqualTo(clean.alerts());
        assertThat(events(attacked.lateEvents())).isEqualTo(events(clean.lateEvents()));

        Map<String, Integer> reasons = reasons(attacked.deadLetters());
        reasons(clean.deadLetters()).forEach((r, n) -> reasons.merge(r, -n, Integer::sum));
        reasons.values().removeIf(n -> n == 0);
        assertThat(reasons).isEqualTo(expectedReasons);

        RunSummary a = attacked.summary();
        RunSummary c = clean.summary();
        assertThat(a.input()).isEqualTo(c.input() + bad.size() + repeats);
        assertThat(a.invalid()).isEqualTo(c.invalid() + bad.size());
        assertThat(a.duplicates()).isEqualTo(c.duplicates() + repeats);
        assertThat(a.counted()).isEqualTo(c.counted());
        assertThat(a.late()).isEqualTo(c.late());
    }

    private static void write(Path file, List<byte[]> lines) throws Exception {
        try (OutputStream out = Files.newOutputStream(file)) {
            for (byte[] line : lines) {
                out.write(line);
                out.write('\n');
            }
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static Map<String, Integer> reasons(List<String> deadLetters) throws Exception {
        Map<String, Integer> counts = new TreeMap<>();
        for (String d : deadLetters) {
            counts.merge(JSON.readTree(d).path("reason").asText(), 1, Integer::sum);
        }
        return counts;
    }

    /** Late events without their sources (line numbers differ between the two files). */
    private static List<String> events(List<String> lateEvents) throws Exception {
        List<String> events = new ArrayList<>();
        for (String l : lateEvents) {
            JsonNode n = JSON.readTree(l);
            events.add(n.path("event").toString() + " " + n.path("cutoff").asText());
        }
        events.sort(null);
        return events;
    }
}
