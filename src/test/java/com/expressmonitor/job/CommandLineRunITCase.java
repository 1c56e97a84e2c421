package com.expressmonitor.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.expressmonitor.config.ConfigLoader;
import com.fasterxml.jackson.databind.ObjectMapper;

import com.expressmonitor.testing.TestCluster;

import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The job as users start it: {@code --source file:PATH --sink dir:PATH} writes SPEC §5's layout and summary. */
class CommandLineRunITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestCluster.twoSlots();

    @TempDir
    Path dir;

    @Test
    void replayToDirectoryWritesEveryStreamAndTheSummary() throws Exception {
        Path feed = dir.resolve("feed.jsonl");
        Files.writeString(feed, """
                {"eventId":"1","waybillNo":"W1","scanType":"ARRIVED","facilityId":"S1","facilityType":"STATION","districtCode":"330482","eventTime":"2026-11-11T10:00:00+08:00"}
                {"eventId":"2","waybillNo":"W1","scanType":"DELIVERED","facilityId":"S1","facilityType":"STATION","districtCode":"330482","eventTime":"2026-11-11T11:00:00+08:00"}
                {"eventId":"2","waybillNo":"W1","scanType":"DELIVERED","facilityId":"S1","facilityType":"STATION","districtCode":"330482","eventTime":"2026-11-11T11:00:00+08:00"}
                {"eventId":"3","waybillNo":"W2","scanType":"ARRIVED","facilityId":"S1","facilityType":"STATION","districtCode":"330482","eventTime":"2026-11-11T08:00:00+08:00"}
                {"eventId":"4","waybillNo":"W3","scanType":"ARRIVED","facilityId":"S1","eventTime":"2026-11-11T11:00:00+08:00"}
                """);
        Path out = dir.resolve("out");
        CommandLine cli = CommandLine.parse(new String[] {"--source", "file:" + feed, "--sink", "dir:" + out,
                "--parallelism", "2", "--validation.max-future", "3650d"});
        RunSummary summary = ExpressTrafficMonitor.run(cli, ConfigLoader.load(null, cli.overrides()));

        assertThat(summary.input()).isEqualTo(5);
        assertThat(new ObjectMapper().readTree(out.resolve("summary.json").toFile()).toString()).isEqualTo(
                "{\"input\":5,\"counted\":2,\"duplicates\":1,\"late\":1,\"invalid\":1,\"metrics\":2,\"alerts\":0}");
        assertThat(lines(out.resolve("district-metrics"))).containsExactlyInAnyOrder(
                "{\"district\":\"330482\",\"districtName\":\"平湖市\",\"facilityType\":\"STATION\","
                        + "\"windowStart\":\"2026-11-11T10:00:00+08:00\",\"windowEnd\":\"2026-11-11T10:05:00+08:00\","
                        + "\"arrivals\":1,\"departures\":0,\"deliveries\":0,\"exceptions\":0,\"backlog\":1,\"stuck\":0,"
                        + "\"season\":\"DOUBLE_11\"}",
                "{\"district\":\"330482\",\"districtName\":\"平湖市\",\"facilityType\":\"STATION\","
                        + "\"windowStart\":\"2026-11-11T11:00:00+08:00\",\"windowEnd\":\"2026-11-11T11:05:00+08:00\","
                        + "\"arrivals\":0,\"departures\":1,\"deliveries\":1,\"exceptions\":0,\"backlog\":0,\"stuck\":0,"
                        + "\"season\":\"DOUBLE_11\"}");
        assertThat(lines(out.resolve("alerts"))).isEmpty();
        assertThat(lines(out.resolve("dead-letter"))).singleElement().asString()
                .startsWith("{\"reason\":\"UNKNOWN_FACILITY\"").endsWith("\"source\":\"file:feed.jsonl:5\"}");
        assertThat(lines(out.resolve("late-events"))).singleElement().asString()
                .contains("\"source\":\"file:feed.jsonl:4\"", "\"cutoff\":\"2026-11-11T10:58:00+08:00\"");
    }

    @Test
    void emptyAndBlankFilesInAFolderAreNoInput() throws Exception {
        Path feed = Files.createDirectories(dir.resolve("folder"));
        Files.writeString(feed.resolve("a-empty.jsonl"), "");
        Files.writeString(feed.resolve("b-blank.jsonl"), "\n   \n\t\n");
        Files.writeString(feed.resolve("c.jsonl"), "\n{\"eventId\":\"1\",\"waybillNo\":\"W1\",\"scanType\":\"EXCEPTION\","
                + "\"facilityId\":\"S1\",\"facilityType\":\"STATION\",\"districtCode\":\"110101\","
                + "\"eventTime\":1762826400000}\r\nnot json\r\n");
        Path out = dir.resolve("out2");
        CommandLine cli = CommandLine.parse(new String[] {"--source", "file:" + feed, "--sink", "dir:" + out,
                "--parallelism", "2"});
        RunSummary summary = ExpressTrafficMonitor.run(cli, ConfigLoader.load(null, cli.overrides()));
        assertThat(new long[] {summary.input(), summary.counted(), summary.invalid(), summary.metrics()})
                .containsExactly(2, 1, 1, 1);
        assertThat(lines(out.resolve("dead-letter"))).containsExactly("{\"reason\":\"MALFORMED_JSON\",\"detail\":"
                + "\"record is not valid JSON: Unrecognized token 'not': was expecting (JSON String, Number, Array, Object "
                + "or token 'null', 'true' or 'false') at column 1 (file:c.jsonl:3)\",\"raw\":\"not json\","
                + "\"source\":\"file:c.jsonl:3\"}");
    }

    @Test
    void badSettingsAreRejectedBeforeAnythingRuns() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CommandLine.parse(new String[] {"--sink", "s3"}))
                .hasMessageStartingWith("configuration key 'sink'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CommandLine.parse(new String[] {"--parallelism", "0"}))
                .hasMessageStartingWith("configuration key 'parallelism'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigLoader.load(null,
                CommandLine.parse(new String[] {"--window.size", "7m"}).overrides()))
                .hasMessageStartingWith("configuration key 'window.size'");
        assertThat(CommandLine.parse(new String[0]).demo()).isTrue();
        assertThat(CommandLine.parse(new String[] {"--flink.state.backend.type=rocksdb"}).overrides())
                .isEqualTo(Map.of("flink.state.backend.type", "rocksdb"));
    }

    private static List<String> lines(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> !p.getFileName().toString().startsWith(".")
                            && !p.getFileName().toString().startsWith("_"))
                    .flatMap(p -> {
                        try {
                            return Files.readAllLines(p).stream();
                        } catch (Exception e) {
                            throw new RuntimeException(e);
                        }
                    }).toList();
        }
    }
}
