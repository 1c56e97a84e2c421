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

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.FileUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A crash in the middle of a run on RocksDB loses nothing and changes nothing: restarted from its last checkpoint
 * (parcel state, timers, the scans waiting for the watermark, windows, alert states and source positions), the job
 * gives the same metrics and alerts as a run without the crash; only records written after that checkpoint are
 * written again, which the transactional Kafka sink discards in production. The same under the changelog state
 * backend (offered in Configuration), where the restore reads RocksDB's last materialization and replays the log of
 * changes since.
 */
class FailoverITCase {
    /** The changelog's storage is the TaskManager's, as on a cluster: files beside the test's checkpoints. */
    private static final Path CHANGELOG = createTempDirectory();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
            .setConfiguration(Configuration.fromMap(Map.of("state.changelog.storage", "filesystem",
                    "state.changelog.dstl.dfs.base-path", CHANGELOG.toUri().toString())))
            .build());

    @TempDir
    Path dir;

    @AfterAll
    static void deleteChangelog() throws IOException {
        FileUtils.deleteDirectory(CHANGELOG.toFile());
    }

    @ParameterizedTest(name = "changelog {0}")
    @ValueSource(booleans = {false, true})
    void aRestartFromACheckpointGivesTheSameOutputs(boolean changelog) throws Exception {
        MonitorConfig config = ConfigLoader.load(Path.of("config/demo.yaml"), Map.of("window.size", "15m",
                "alerts.defaults.SORTING_CENTER.backlog.yellow", "40", "alerts.defaults.SORTING_CENTER.backlog.red", "80"));
        GeneratorSettings settings = new GeneratorSettings(5, 30_000, "2026-11-11");
        ScanParser parser = new ScanParser(config.facilities(), config.maxFutureMillis(), () -> PipelineRun.NOW);
        Map<String, String> flink = new HashMap<>(Map.of(
                "state.backend.type", "rocksdb",
                "state.backend.rocksdb.timer-service.factory", "ROCKSDB",
                "execution.checkpointing.incremental", "true",
                "execution.checkpointing.interval", "100ms",
                "execution.checkpointing.dir", dir.toUri().toString(),
                "restart-strategy.type", "fixed-delay",
                "restart-strategy.fixed-delay.attempts", "2",
                "restart-strategy.fixed-delay.delay", "100ms"));
        if (changelog) {
            // Materialized every second, so that the restore finds both a materialization and a log after it.
            flink.put("state.changelog.enabled", "true");
            flink.put("state.changelog.periodic-materialize.interval", "1s");
        }

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
        if (changelog) {
            assertThat(CHANGELOG.toFile().list()).as("the changelog's storage was written").isNotEmpty();
        }
    }

    private static ScanInput input(GeneratorSettings settings, MonitorConfig config, ScanParser parser) {
        return new ScanInput(new GeneratorSource(settings, NetworkModel.demo(), config.zoneOffsetSeconds(), parser),
                false, "gen", "gen");
    }

    private static Path createTempDirectory() {
        try {
            return Files.createTempDirectory("failover-changelog");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> distinct(List<String> lines) {
        return List.copyOf(new TreeSet<>(lines));
    }
}
