package com.expressmonitor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.expressmonitor.event.FacilityInfo;
import com.expressmonitor.event.FacilityType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;

/** Configuration of SPEC §4: defaults, the YAML file, overrides, and bad settings that name their key. */
class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void builtInDefaults() {
        MonitorConfig c = ConfigLoader.defaults();
        assertThat(c.windowSizeMillis()).isEqualTo(300_000);
        assertThat(c.timezone()).isEqualTo("Asia/Shanghai");
        assertThat(c.zoneOffsetSeconds()).isEqualTo(8 * 3600);
        assertThat(c.outOfOrdernessMillis()).isEqualTo(120_000);
        assertThat(c.idlenessMillis()).isEqualTo(60_000);
        assertThat(c.maxFutureMillis()).isEqualTo(86_400_000);
        assertThat(c.retentionAfterDeliveryMillis()).isEqualTo(86_400_000);
        assertThat(c.abandonAfterMillis()).isEqualTo(30 * 86_400_000L);
        assertThat(c.sla(FacilityType.SORTING_CENTER)).isEqualTo(12 * 3_600_000L);
        assertThat(c.sla(FacilityType.STATION)).isEqualTo(24 * 3_600_000L);
        assertThat(c.hysteresis()).isEqualTo(0.1);
        assertThat(c.thresholds("110101", FacilityType.SORTING_CENTER)).isEqualTo(new AlertThresholds(
                new LevelThresholds(5000, 10000), new LevelThresholds(100, 500), new LevelThresholds(0.8, 1.0)));
        // Pinghu overrides the station backlog only; the rest falls back to the defaults.
        assertThat(c.thresholds("330482", FacilityType.STATION)).isEqualTo(new AlertThresholds(
                new LevelThresholds(1500, 3000), new LevelThresholds(50, 200), new LevelThresholds(0.8, 1.0)));
        assertThat(c.districtName("330482")).isEqualTo("平湖市");
        assertThat(c.districtName("110101")).isNull();
        assertThat(c.capacity("330482", FacilityType.SORTING_CENTER)).isEqualTo(20000.0);
        assertThat(c.capacity("110101", FacilityType.STATION)).isNull();
        assertThat(c.seasonOn(LocalDate.of(2026, 11, 11)).name()).isEqualTo("DOUBLE_11");
        assertThat(c.seasonOn(LocalDate.of(2026, 11, 21))).isNull();
        assertThat(c.kafka().scanEventsTopic()).isEqualTo("express.scan-events");
        assertThat(c.kafka().startingOffsets()).isEqualTo("committed");
        assertThat(c.flink()).isEmpty();
        assertThat(c.facilities()).isEmpty();
    }

    @Test
    void fileMergesOverDefaultsAndOverridesComeLast() throws IOException {
        Files.writeString(dir.resolve("facilities.csv"), "facilityId,facilityType,districtCode\nSC-9,SORTING_CENTER,320506\n");
        Path yaml = dir.resolve("monitor.yaml");
        Files.writeString(yaml, """
                window: {size: 1h}
                sla: {STATION: 48h}
                alerts:
                  defaults:
                    STATION: {stuck: {red: 300}}
                districts:
                  - {code: "320506", name: 吴中区, capacity-per-hour: {STATION: 900},
                     thresholds: {SORTING_CENTER: {surge: {yellow: 0.5}}}}
                peak-seasons:
                  - {name: SPRING, from: "12-20", to: "01-10", threshold-multiplier: 1.5}
                facilities: facilities.csv
                flink: {state.backend.type: rocksdb, parallelism.default: 2}
                """);
        MonitorConfig c = ConfigLoader.load(yaml, Map.of("window.timezone", "UTC", "alerts.hysteresis", "0.2",
                "flink.execution.checkpointing.interval", "10s", "kafka.properties.security.protocol", "SASL_SSL",
                "kafka.bounded", "true"));
        assertThat(c.windowSizeMillis()).isEqualTo(3_600_000);
        assertThat(c.timezone()).isEqualTo("UTC");
        assertThat(c.zoneOffsetSeconds()).isZero();
        assertThat(c.sla(FacilityType.STATION)).isEqualTo(48 * 3_600_000L);
        assertThat(c.sla(FacilityType.SORTING_CENTER)).isEqualTo(12 * 3_600_000L);
        assertThat(c.hysteresis()).isEqualTo(0.2);
        assertThat(c.thresholds("110101", FacilityType.STATION).stuck()).isEqualTo(new LevelThresholds(50, 300));
        assertThat(c.thresholds("320506", FacilityType.SORTING_CENTER).surge()).isEqualTo(new LevelThresholds(0.5, 1.0));
        assertThat(c.districtName("330482")).isNull(); // the file's list replaces the default list
        assertThat(c.capacity("320506", FacilityType.STATION)).isEqualTo(900.0);
        assertThat(c.capacity("320506", FacilityType.SORTING_CENTER)).isNull();
        assertThat(c.seasonOn(LocalDate.of(2027, 1, 5)).name()).isEqualTo("SPRING");
        assertThat(c.seasonOn(LocalDate.of(2026, 12, 25)).thresholdMultiplier()).isEqualTo(1.5);
        assertThat(c.seasonOn(LocalDate.of(2026, 11, 11))).isNull();
        assertThat(c.facilities()).containsEntry("SC-9", new FacilityInfo(FacilityType.SORTING_CENTER, "320506"));
        assertThat(c.flink()).containsEntry("state.backend.type", "rocksdb").containsEntry("parallelism.default", "2")
                .containsEntry("execution.checkpointing.interval", "10s");
        assertThat(c.kafka().properties()).containsEntry("security.protocol", "SASL_SSL");
        assertThat(c.kafka().bounded()).isTrue();
    }

    @ParameterizedTest(name = "--{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "window.size                  | 7m              | window.size",
        "window.size                  | five minutes    | window.size",
        "window.timezone              | Europe/Berlin   | window.timezone",
        "window.timezone              | Mars/Olympus    | window.timezone",
        "watermark.out-of-orderness   | -1s             | watermark.out-of-orderness",
        "parcel.abandon-after         | 0               | parcel.abandon-after",
        "sla.STATION                  | 1w              | sla.STATION",
        "alerts.hysteresis            | 1.5             | alerts.hysteresis",
        "alerts.hysteresis            | lots            | alerts.hysteresis",
        "alerts.defaults.STATION.backlog.red    | -3    | alerts.defaults.STATION.backlog.red",
        "alerts.defaults.STATION.backlag.red    | 3     | alerts.defaults.STATION.backlag",
        "kafka.starting-offsets       | newest          | kafka.starting-offsets",
        "kafka.bounded                | maybe           | kafka.bounded",
        "windw.size                   | 5m              | windw",
        "districts.code               | 330482          | districts.code",
    })
    void badSettingsNameTheirKey(String key, String value, String named) {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(key, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("configuration key '" + named + "'")
                .extracting(e -> ((ConfigException) e).key()).isEqualTo(named);
    }

    @Test
    void aLevelOverriddenAlonePastTheOtherIsAccepted() {
        MonitorConfig c = ConfigLoader.load(null, Map.of("alerts.defaults.STATION.backlog.yellow", "5000"));
        assertThat(c.thresholds("110101", FacilityType.STATION).backlog()).isEqualTo(new LevelThresholds(5000, 2000));
    }

    @Test
    void badFileSettingsNameTheirKey() throws IOException {
        Path yaml = dir.resolve("bad.yaml");
        Files.writeString(yaml, """
                peak-seasons:
                  - {name: X, from: "11-01", to: "2026-11-20", threshold-multiplier: 1.0}
                """);
        assertThatThrownBy(() -> ConfigLoader.load(yaml, Map.of())).hasMessageContaining("'peak-seasons[0]'");
        Files.writeString(yaml, "districts:\n  - {code: \"3304\"}\n");
        assertThatThrownBy(() -> ConfigLoader.load(yaml, Map.of())).hasMessageContaining("'districts[0].code'");
        Files.writeString(yaml, "districts:\n  - {code: \"330482\", capacity-per-hour: {STATION: -1}}\n");
        assertThatThrownBy(() -> ConfigLoader.load(yaml, Map.of()))
                .hasMessageContaining("'districts[0].capacity-per-hour.STATION'");
        Files.writeString(yaml, "facilities: missing.csv\n");
        assertThatThrownBy(() -> ConfigLoader.load(yaml, Map.of())).hasMessageContaining("'facilities'");
        Files.writeString(dir.resolve("f.csv"), "SC1,HUB,330482\n");
        Files.writeString(yaml, "facilities: f.csv\n");
        assertThatThrownBy(() -> ConfigLoader.load(yaml, Map.of())).hasMessageContaining("'facilities'")
                .hasMessageContaining("f.csv:1");
    }

    @ParameterizedTest
    @CsvSource({"500ms,500", "30s,30000", "5m,300000", "12h,43200000", "1d,86400000", "0,0"})
    void durations(String text, long millis) {
        assertThat(Durations.parse("k", text)).isEqualTo(millis);
        assertThat(Durations.parse("k", Durations.format(millis))).isEqualTo(millis);
    }

    @ParameterizedTest
    @CsvSource({"5", "5 m", "1.5h", "m", "-5m", "5M"})
    void badDurations(String text) {
        assertThatThrownBy(() -> Durations.parse("window.size", text)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("configuration key 'window.size'");
    }

    @Test
    void seasonsInBothFormsAndWrappingTheNewYear() {
        PeakSeason yearly = new PeakSeason("SF", LocalDate.of(2000, 12, 20), LocalDate.of(2000, 1, 10), true, 1.3);
        assertThat(yearly.contains(LocalDate.of(2026, 12, 20))).isTrue();
        assertThat(yearly.contains(LocalDate.of(2027, 1, 10))).isTrue();
        assertThat(yearly.contains(LocalDate.of(2027, 1, 11))).isFalse();
        assertThat(yearly.contains(LocalDate.of(2026, 12, 19))).isFalse();
        PeakSeason fixed = new PeakSeason("SF26", LocalDate.of(2026, 12, 20), LocalDate.of(2027, 1, 10), false, 1.3);
        assertThat(fixed.contains(LocalDate.of(2027, 1, 1))).isTrue();
        assertThat(fixed.contains(LocalDate.of(2028, 1, 1))).isFalse();
        assertThat(fixed.contains(LocalDate.of(2026, 12, 19))).isFalse();
    }

    @Test
    void firstListedSeasonWins() {
        MonitorConfig c = ConfigLoader.load(null, Map.of());
        assertThat(c.peakSeasons()).hasSize(1);
        Path yaml = dir.resolve("s.yaml");
        try {
            Files.writeString(yaml, """
                    peak-seasons:
                      - {name: A, from: "2026-11-10", to: "2026-11-12", threshold-multiplier: 2}
                      - {name: B, from: "11-01", to: "11-30", threshold-multiplier: 3}
                    """);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
        MonitorConfig s = ConfigLoader.load(yaml, Map.of());
        assertThat(s.seasonOn(LocalDate.of(2026, 11, 11)).name()).isEqualTo("A");
        assertThat(s.seasonOn(LocalDate.of(2026, 11, 13)).name()).isEqualTo("B");
        assertThat(s.seasonOn(LocalDate.of(2027, 11, 11)).name()).isEqualTo("B");
    }

    @Test
    void windowsAlignToLocalMidnight() {
        long t = com.expressmonitor.event.ScanParser.parseIsoTime("2026-11-11T00:07:00+08:00");
        long midnight = com.expressmonitor.event.ScanParser.parseIsoTime("2026-11-11T00:00:00+08:00");
        assertThat(LocalTimes.windowStart(t, 86_400_000L, 8 * 3600)).isEqualTo(midnight);
        assertThat(LocalTimes.windowStart(t, 300_000L, 8 * 3600)).isEqualTo(t - 120_000);
        assertThat(LocalTimes.windowEnd(midnight, 86_400_000L, 8 * 3600)).isEqualTo(midnight + 86_400_000L);
        assertThat(LocalTimes.format(midnight, java.time.ZoneOffset.ofHours(8))).isEqualTo("2026-11-11T00:00:00+08:00");
        assertThat(LocalTimes.format(midnight + 5, java.time.ZoneOffset.UTC)).isEqualTo("2026-11-10T16:00:00.005Z");
    }
}
