package com.expressmonitor.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.expressmonitor.config.ConfigLoader;
import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.event.ScanParser;
import com.expressmonitor.generator.GeneratorSettings;
import com.expressmonitor.generator.GeneratorSource;
import com.expressmonitor.generator.NetworkModel;
import com.expressmonitor.generator.TrafficSimulator;
import com.expressmonitor.testing.PipelineRun;
import com.expressmonitor.testing.PipelineRun.Result;

import com.expressmonitor.testing.TestCluster;

import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

/** The same replay gives identical outputs at parallelism 1 and 2, with several files (partitions) at once. */
class ReplayDeterminismITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestCluster.twoSlots();

    @TempDir
    Path dir;

    @Test
    void parallelismOneAndTwoAgreeRecordForRecord() throws Exception {
        // Three partitions of simulated Double-11 traffic (with duplicates, late and garbled records), read by two
        // readers at parallelism 2: a reader reads one file after another.
        Path feed = Files.createDirectories(dir.resolve("feed"));
        for (int split = 0; split < 3; split++) {
            TrafficSimulator sim = new TrafficSimulator(NetworkModel.demo(), LocalDate.of(2026, 11, 11),
                    ZoneOffset.ofHours(8), 6_000, 7, split, 3);
            try (OutputStream out = Files.newOutputStream(feed.resolve("part-" + split + ".jsonl"))) {
                while (sim.hasNext()) {
                    out.write(sim.next());
                    out.write('\n');
                }
            }
        }
        Files.writeString(feed.resolve("_ignored.jsonl"), "not a result: names starting with _ are skipped\n");
        MonitorConfig config = ConfigLoader.load(Path.of("config/demo.yaml"), Map.of("window.size", "30m",
                "alerts.defaults.SORTING_CENTER.backlog.yellow", "40", "alerts.defaults.SORTING_CENTER.backlog.red", "80",
                "alerts.defaults.STATION.backlog.yellow", "40", "alerts.defaults.STATION.backlog.red", "80"));

        Result one = PipelineRun.replay(config, feed.toString(), 1);
        Result two = PipelineRun.replay(config, feed.toString(), 2);

        assertThat(one.metrics()).hasSizeGreaterThan(500);
        assertThat(one.alerts()).isNotEmpty();
        assertThat(one.deadLetters()).isNotEmpty();
        assertThat(one.lateEvents()).isNotEmpty();
        assertThat(two.metrics()).isEqualTo(one.metrics());
        assertThat(two.alerts()).isEqualTo(one.alerts());
        assertThat(two.deadLetters()).isEqualTo(one.deadLetters());
        assertThat(two.lateEvents()).isEqualTo(one.lateEvents());
        assertThat(two.summary()).usingRecursiveComparison().ignoringFields("districts", "millis").isEqualTo(one.summary());
        RunSummary s = one.summary();
        assertThat(s.input()).isEqualTo(s.counted() + s.duplicates() + s.late() + s.invalid());
        assertThat(s.duplicates()).isPositive();
        assertThat(s.invalid()).isEqualTo(one.deadLetters().size());
        assertThat(s.late()).isEqualTo(one.lateEvents().size());
        assertThat(s.metrics()).isEqualTo(one.metrics().size());
        assertThat(s.alerts()).isEqualTo(one.alerts().size());
    }

    @Test
    void streamingWithWatermarksGivesWhatTheReplayGives() throws Exception {
        // The generator at parallelism 2 streams with per-split watermarks; the same two splits written to files and
        // replayed close every window only at the end. The outputs must not depend on when watermarks came.
        MonitorConfig config = ConfigLoader.load(Path.of("config/demo.yaml"), Map.of("window.size", "30m",
                "alerts.defaults.SORTING_CENTER.backlog.yellow", "40", "alerts.defaults.SORTING_CENTER.backlog.red", "80"));
        GeneratorSettings settings = new GeneratorSettings(3, 4_000, "2026-11-11");
        Path feed = Files.createDirectories(dir.resolve("streamed"));
        for (int split = 0; split < 2; split++) {
            TrafficSimulator sim = new TrafficSimulator(NetworkModel.demo(), LocalDate.of(2026, 11, 11),
                    ZoneOffset.ofHours(8), settings.parcels(), settings.seed(), split, 2);
            try (OutputStream out = Files.newOutputStream(feed.resolve("split-" + split + ".jsonl"))) {
                while (sim.hasNext()) {
                    out.write(sim.next());
                    out.write('\n');
                }
            }
        }
        ScanParser parser = new ScanParser(config.facilities(), config.maxFutureMillis(), () -> PipelineRun.NOW);
        Result streamed = PipelineRun.run(config,
                new ScanInput(new GeneratorSource(settings, NetworkModel.demo(), config.zoneOffsetSeconds(), parser), false, "gen", "gen"), 2);
        Result replayed = PipelineRun.replay(config, feed.toString(), 2);

        assertThat(streamed.metrics()).hasSizeGreaterThan(300).isEqualTo(replayed.metrics());
        assertThat(streamed.alerts()).isNotEmpty().isEqualTo(replayed.alerts());
        assertThat(streamed.lateEvents()).hasSameSizeAs(replayed.lateEvents());
        assertThat(streamed.deadLetters()).hasSameSizeAs(replayed.deadLetters());
        assertThat(streamed.summary()).usingRecursiveComparison().ignoringFields("districts", "millis")
                .isEqualTo(replayed.summary());
    }
}
