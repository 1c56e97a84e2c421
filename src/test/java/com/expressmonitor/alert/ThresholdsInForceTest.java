package com.expressmonitor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.expressmonitor.config.ConfigLoader;
import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.district.DistrictMetrics;
import com.expressmonitor.event.FacilityType;
import com.expressmonitor.testing.Scans;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The thresholds an evaluation reports are the ones its alerts were decided on: multiplier, overrides, capacity. */
class ThresholdsInForceTest {
    private static final long FIVE_MINUTES = 300_000L;

    @TempDir
    Path dir;

    private MonitorConfig config() throws Exception {
        Path yaml = dir.resolve("monitor.yaml");
        Files.writeString(yaml, """
                peak-seasons:
                  - {name: PEAK, from: "12-01", to: "12-31", threshold-multiplier: 1.5}
                districts:
                  - {code: "330482", name: 平湖市, capacity-per-hour: {SORTING_CENTER: 20000},
                     thresholds: {SORTING_CENTER: {stuck: {yellow: 10, red: 20}}}}
                """);
        return ConfigLoader.load(yaml, Map.of());
    }

    private static DistrictMetrics metrics(String district, FacilityType type, String windowStart, long arrivals,
            long backlog, long stuck) {
        long start = Scans.at(windowStart);
        return new DistrictMetrics(district, null, type, start, start + FIVE_MINUTES, arrivals, 0, 0, 0, backlog, stuck,
                null);
    }

    @Test
    void inSeasonEveryThresholdIsMultipliedAndSurgeIsRatioTimesCapacity() throws Exception {
        List<Alert> alerts = new ArrayList<>();
        // 2000 arrivals in 5 minutes = 24000/h: exactly the yellow surge threshold 0.8 x 20000 x 1.5.
        ThresholdsInForce t = new AlertEvaluator(config()).evaluate(new AlertState(),
                metrics("330482", FacilityType.SORTING_CENTER, "2026-12-01T10:00", 2000, 7500, 30), alerts::add);
        assertThat(t.seasonMultiplier()).isEqualTo(1.5);
        assertThat(t.yellow(AlertKind.BACKLOG)).isEqualTo(7500.0);
        assertThat(t.red(AlertKind.BACKLOG)).isEqualTo(15000.0);
        assertThat(t.yellow(AlertKind.STUCK)).isEqualTo(15.0);
        assertThat(t.red(AlertKind.STUCK)).isEqualTo(30.0);
        assertThat(t.evaluated(AlertKind.SURGE)).isTrue();
        assertThat(t.yellow(AlertKind.SURGE)).isEqualTo(24000.0);
        assertThat(t.red(AlertKind.SURGE)).isEqualTo(30000.0);
        // The alerts raised on these values carry the same thresholds.
        assertThat(alerts).extracting(Alert::kind, Alert::level, Alert::threshold).containsExactly(
                Tuple.tuple(AlertKind.BACKLOG, AlertLevel.YELLOW, 7500.0),
                Tuple.tuple(AlertKind.STUCK, AlertLevel.RED, 30.0),
                Tuple.tuple(AlertKind.SURGE, AlertLevel.YELLOW, 24000.0));
    }

    @Test
    void outOfSeasonTheMultiplierIsOneAndSurgeIsNotEvaluatedWithoutCapacity() throws Exception {
        ThresholdsInForce t = new AlertEvaluator(config()).evaluate(new AlertState(),
                metrics("110101", FacilityType.STATION, "2026-11-30T10:00", 5, 0, 0), a -> { });
        assertThat(t.seasonMultiplier()).isEqualTo(1.0);
        assertThat(t.yellow(AlertKind.BACKLOG)).isEqualTo(1000.0);
        assertThat(t.red(AlertKind.BACKLOG)).isEqualTo(2000.0);
        assertThat(t.yellow(AlertKind.STUCK)).isEqualTo(50.0);
        assertThat(t.red(AlertKind.STUCK)).isEqualTo(200.0);
        assertThat(t.evaluated(AlertKind.SURGE)).isFalse();
        assertThat(t.yellow(AlertKind.SURGE)).isNaN();
        assertThat(t.red(AlertKind.SURGE)).isNaN();
    }
}
