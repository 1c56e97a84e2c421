package com.expressmonitor.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.expressmonitor.config.ConfigLoader;
import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.event.ScanParser;
import com.expressmonitor.generator.GeneratorSettings;
import com.expressmonitor.generator.GeneratorSource;
import com.expressmonitor.generator.NetworkModel;
import com.expressmonitor.testing.PipelineRun;
import com.expressmonitor.testing.PipelineRun.Result;
import com.expressmonitor.testing.TestCluster;

import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A crash in the middle of a run on RocksDB loses nothing and changes nothing: restarted from its last checkpoint
 * (parcel state, timers, the scans waiting for the watermark, windows, alert states and source positions), the job
 * gives the same metrics and alerts as a run without the crash; only records written after that checkpoint are
 * written again, which the transactional Kafka sink discards in production.
 */
class FailoverITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestCluster.twoSlots();

    @TempDir
    Path dir;

    @Test
    void aRestartFromACheckpointGivesTheSameOutputs() throws Exception {
        MonitorConfig config = ConfigLoader.load(Path.of("config/demo.yaml"), Map.of("window.size", "15m",
                "alerts.defaults.SORTING_CENTER.backlog.yellow", "40", "alerts.defaults.SORTING_CENTER.backlog.red", "80"));
        GeneratorSettings settings = new GeneratorSettings(5, 30_000, "2026-11-11");
        ScanParser parser = new ScanParser(config.facilities(), config.maxFutureMillis(), () -> PipelineRun.NOW);
        Map<String, String> flink = Map.of(
                "state.backend.type", "rocksdb",
                "state.backend.rocksdb.timer-service.factory", "ROCKSDB",
                "execution.checkpointing.incremental", "true",
                "execution.checkpointing.interval", "100ms",
                "execution.checkpointing.dir", dir.toUri().toString(),
                "restart-strategy.type", "fixed-delay",
                "restart-strategy.fixed-delay.attempts", "2",
                "restart-strategy.fixed-delay.delay", "100ms");

        Result once = PipelineRun.run(config, input(settings, config, parser), 2, flink, 0);
        int failAt = once.metrics().size() / 2;
        Result crashed = PipelineRun.run(config, input(settings, config, parser), 2, flink, failAt);

        assertThat(once.metrics()).hasSizeGreaterThan(1_000);
        assertThat(once.alerts()).isNotEmpty();
        // Every record of the run without the crash, and nothing else; some written twice around the crash.
        assertThat(new TreeSet<>(crashed.metrics())).containsExactlyElementsOf(once.metrics());
        assertThat(new TreeSet<>(crashed.alerts())).containsExactlyElementsOf(new TreeSet<>(once.alerts()));
        // Restarted from a checkpoint, not from the beginning: fewer repeats than the records before the crash.
        assertThat(crashed.metrics().size() - once.metrics().size()).isLessThan(failAt);
        assertThat(distinct(crashed.deadLetters())).isEqualTo(distinct(once.deadLetters()));
        assertThat(distinct(crashed.lateEvents())).isEqualTo(distinct(once.lateEvents()));
        // The counts survive the restart: records read again after the restore are not counted twice.
        RunSummary a = once.summary();
        RunSummary b = crashed.summary();
        assertThat(List.of(b.input(), b.counted(), b.duplicates(), b.late(), b.invalid(), b.metrics(), b.alerts()))
                .isEqualTo(List.of(a.input(), a.counted(), a.duplicates(), a.late(), a.invalid(), a.metrics(), a.alerts()));
        assertThat(b.districts().keySet()).isEqualTo(a.districts().keySet());
        a.districts().forEach((key, t) -> assertThat(b.districts().get(key)).as(key).usingRecursiveComparison()
                .isEqualTo(t));
        assertThat(a.input()).isEqualTo(a.counted() + a.duplicates() + a.late() + a.invalid());
    }

    private static ScanInput input(GeneratorSettings settings, MonitorConfig config, ScanParser parser) {
        return new ScanInput(new GeneratorSource(settings, NetworkModel.demo(), config.zoneOffsetSeconds(), parser),
                false, "gen", "gen");
    }

    private static List<String> distinct(List<String> lines) {
        return List.copyOf(new TreeSet<>(lines));
    }
}
