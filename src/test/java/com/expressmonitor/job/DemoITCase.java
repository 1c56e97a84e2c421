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

import java.util.List;
import java.util.Map;

/** The demo's simulated Double-11 day: the congested Pinghu sorting center goes yellow, red, and back. */
class DemoITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestCluster.twoSlots();

    @Test
    void pinghuSortingCenterBacklogRisesEscalatesAndResolves() throws Exception {
        MonitorConfig config = ConfigLoader.loadResource(ExpressTrafficMonitor.DEMO_CONFIG, Map.of());
        ScanParser parser = new ScanParser(config.facilities(), config.maxFutureMillis(), () -> PipelineRun.NOW);
        Result r = PipelineRun.run(config, new ScanInput(new GeneratorSource(GeneratorSettings.DEMO,
                NetworkModel.from(config), config.zoneOffsetSeconds(), parser), false, "demo", "source-generator"), 2);

        List<String> pinghu = r.alerts().stream()
                .filter(a -> a.contains("\"alertId\":\"330482/SORTING_CENTER/BACKLOG/"))
                .map(a -> a.replaceAll(".*\"status\":\"(\\w+)\",\"level\":\"(\\w+)\".*\"windowStart\":\"([^\"]+)\".*",
                        "$1 $2 $3"))
                .sorted((a, b) -> a.substring(a.lastIndexOf(' ')).compareTo(b.substring(b.lastIndexOf(' '))))
                .toList();
        assertThat(pinghu).containsExactly(
                "OPEN YELLOW 2026-11-11T21:15:00+08:00",
                "ESCALATED RED 2026-11-11T23:00:00+08:00",
                "DEESCALATED YELLOW 2026-11-12T04:00:00+08:00",
                "RESOLVED NONE 2026-11-12T07:15:00+08:00");
        assertThat(r.alerts()).anyMatch(a -> a.contains("\"kind\":\"STUCK\"") && a.contains("\"level\":\"RED\""));
        assertThat(r.alerts()).anyMatch(a -> a.contains("\"kind\":\"SURGE\"") && a.contains("\"status\":\"RESOLVED\""));
        RunSummary s = r.summary();
        assertThat(s.input()).isEqualTo(s.counted() + s.duplicates() + s.late() + s.invalid());
        assertThat(s.duplicates()).isPositive();
        assertThat(s.late()).isPositive();
        assertThat(s.invalid()).isPositive();
    }
}
