package com.expressmonitor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.expressmonitor.event.FacilityType;
import com.expressmonitor.testing.Scans;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Rule updates: what each kind changes, that they are checked like the configuration file with the same messages,
 * their own form, the canonical JSON of the rules, and rules-updates files for replays.
 */
class RuleUpdateTest {
    @TempDir
    Path dir;

    private final Rules defaults = ConfigLoader.defaults().rules();

    private static final String DEFAULTS_JSON = "{\"alerts\":{\"hysteresis\":0.1,\"defaults\":{\"SORTING_CENTER\":"
            + "{\"backlog\":{\"yellow\":5000,\"red\":10000},\"stuck\":{\"yellow\":100,\"red\":500},\"surge\":{\"yellow\":0.8,"
            + "\"red\":1}},\"STATION\":{\"backlog\":{\"yellow\":1000,\"red\":2000},\"stuck\":{\"yellow\":50,\"red\":200},"
            + "\"surge\":{\"yellow\":0.8,\"red\":1}}}},\"districts\":[{\"code\":\"330482\",\"name\":\"平湖市\","
            + "\"capacity-per-hour\":{\"SORTING_CENTER\":20000,\"STATION\":4000},\"thresholds\":{\"STATION\":{\"backlog\":"
            + "{\"yellow\":1500,\"red\":3000}}}}],\"peak-seasons\":[{\"name\":\"DOUBLE_11\",\"from\":\"11-01\",\"to\":\"11-20\","
            + "\"threshold-multiplier\":1}]}";

    private Rules apply(String update) {
        return RuleUpdate.parseLive(update).applyTo(defaults);
    }

    private static String problem(Runnable r) {
        try {
            r.run();
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("no ConfigException");
    }

    @Test
    void theRulesOfTheConfigurationAsCanonicalJsonReadBackUnchanged() {
        assertThat(defaults.json()).isEqualTo(DEFAULTS_JSON);
        assertThat(ConfigLoader.rulesFromJson(DEFAULTS_JSON)).isEqualTo(defaults);
        assertThat(ConfigLoader.rulesFromJson(DEFAULTS_JSON).thresholds("330482", FacilityType.STATION))
                .isEqualTo(defaults.thresholds("330482", FacilityType.STATION));
        // Written as text on the command line, the same numbers: the same JSON.
        MonitorConfig overridden = ConfigLoader.load(null, Map.of("alerts.hysteresis", "0.10",
                "alerts.defaults.STATION.backlog.red", "2000.0"));
        assertThat(overridden.rules().json()).isEqualTo(DEFAULTS_JSON);
    }

    @Test
    void alertsAreMergedKeyByKeyOverTheRulesInForce() {
        Rules r = apply("{\"version\": 3, \"alerts\": {\"defaults\": {\"STATION\": {\"backlog\": {\"yellow\": 1200}}}}}");
        assertThat(r.thresholds("110101", FacilityType.STATION).backlog()).isEqualTo(new LevelThresholds(1200, 2000));
        // A district's own override stays; what it leaves out falls back to the new defaults.
        assertThat(r.thresholds("330482", FacilityType.STATION).backlog()).isEqualTo(new LevelThresholds(1500, 3000));
        assertThat(r.hysteresis()).isEqualTo(0.1);
        assertThat(r.json()).isEqualTo(DEFAULTS_JSON.replace("\"STATION\":{\"backlog\":{\"yellow\":1000,",
                "\"STATION\":{\"backlog\":{\"yellow\":1200,"));
    }

    @Test
    void oneDistrictIsAddedOrReplacedWholeAndListsAreReplaced() {
        Rules added = apply("{\"version\": 4, \"district\": {\"code\": \"330402\", \"name\": \"南湖区\", "
                + "\"capacity-per-hour\": {\"STATION\": 900}}}");
        assertThat(added.districts().keySet()).containsExactly("330482", "330402");
        assertThat(added.districtName("330402")).isEqualTo("南湖区");
        assertThat(added.capacity("330402", FacilityType.STATION)).isEqualTo(900.0);

        Rules replaced = apply("{\"version\": 4, \"district\": {\"code\": \"330482\", "
                + "\"capacity-per-hour\": {\"SORTING_CENTER\": 26000}}}");
        assertThat(replaced.districts().keySet()).containsExactly("330482");
        assertThat(replaced.capacity("330482", FacilityType.SORTING_CENTER)).isEqualTo(26000.0);
        assertThat(replaced.capacity("330482", FacilityType.STATION)).isNull(); // the whole district is replaced
        assertThat(replaced.districtName("330482")).isNull();
        assertThat(replaced.thresholds("330482", FacilityType.STATION).backlog()).isEqualTo(new LevelThresholds(1000, 2000));

        Rules lists = apply("{\"version\": 5, \"districts\": [], \"peak-seasons\": [{\"name\": \"SPRING\", "
                + "\"from\": \"2027-01-20\", \"to\": \"2027-02-05\", \"threshold-multiplier\": 1.5}]}");
        assertThat(lists.districts()).isEmpty();
        assertThat(lists.peakSeasons()).singleElement().extracting(PeakSeason::name).isEqualTo("SPRING");
        assertThat(lists.seasonOn(java.time.LocalDate.of(2026, 11, 11))).isNull();
    }

    @Test
    void badValuesAreRejectedWithTheConfigurationsMessagesNamingTheKey() {
        assertThat(problem(() -> apply("{\"version\": 5, \"district\": {\"code\": \"330482\", \"thresholds\": "
                + "{\"STATION\": {\"backlog\": {\"red\": -5}}}}}")))
                .isEqualTo("configuration key 'districts[330482].thresholds.STATION.backlog.red': must not be negative, "
                        + "got -5");
        assertThat(problem(() -> apply("{\"version\": 5, \"district\": {\"code\": \"33048\"}}")))
                .isEqualTo("configuration key 'district.code': must be 6 digits, got '33048'");
        assertThat(problem(() -> apply("{\"version\": 5, \"districts\": [{\"code\": \"330482\"}, {\"code\": \"330482\"}]}")))
                .isEqualTo("configuration key 'districts[1].code': district 330482 is listed twice");
        assertThat(problem(() -> apply("{\"version\": 5, \"alerts\": {\"hysteresis\": 1.5}}")))
                .isEqualTo("configuration key 'alerts.hysteresis': must be between 0 and 1, got 1.5");
        assertThat(problem(() -> apply("{\"version\": 5, \"alerts\": {\"defaults\": {\"STATION\": {\"backlag\": {}}}}}")))
                .isEqualTo("configuration key 'alerts.defaults.STATION.backlag': unknown key; expected one of "
                        + "[backlog, stuck, surge]");
        assertThat(problem(() -> apply("{\"version\": 5, \"peak-seasons\": [{\"name\": \"X\", \"from\": \"11-01\", "
                + "\"to\": \"2026-11-20\", \"threshold-multiplier\": 1}]}")))
                .isEqualTo("configuration key 'peak-seasons[0]': from and to must use the same form "
                        + "(both MM-dd or both yyyy-MM-dd)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"version\": 3, \"alerts\": ",
        "[1, 2]",
        "{\"alerts\": {\"hysteresis\": 0.2}}",
        "{\"version\": 0, \"alerts\": {\"hysteresis\": 0.2}}",
        "{\"version\": \"three\", \"alerts\": {\"hysteresis\": 0.2}}",
        "{\"version\": 3, \"from\": \"2026-11-11T18:00:00+08:00\", \"alerts\": {\"hysteresis\": 0.2}}",
        "{\"version\": 3, \"alert\": {\"hysteresis\": 0.2}}",
        "{\"version\": 3}",
        "{\"version\": 3, \"district\": {\"code\": \"330482\"}, \"districts\": []}",
    })
    void theUpdatesOwnFormIsChecked(String update) {
        String message = problem(() -> RuleUpdate.parseLive(update));
        assertThat(message).isEqualTo(expectedFor(update));
    }

    private static String expectedFor(String update) {
        if (update.endsWith(":")) {
            return "the update is not JSON: Unexpected end-of-input within/between Object entries (line 1, column 25)";
        }
        if (update.startsWith("[")) {
            return "the update must be a JSON object such as {\"version\": 3, \"alerts\": {...}}, got a list";
        }
        if (!update.contains("version")) {
            return "configuration key 'version': is missing; give a whole number above the version in force";
        }
        if (update.contains("\"version\": 0")) {
            return "configuration key 'version': must be a whole number of at least 1, got 0";
        }
        if (update.contains("three")) {
            return "configuration key 'version': must be a whole number of at least 1, got \"three\"";
        }
        if (update.contains("from")) {
            return "configuration key 'from': applies only to the updates of a --rules-updates file; an update sent "
                    + "while the job runs takes effect when the job applies it";
        }
        if (update.contains("\"alert\"")) {
            return "configuration key 'alert': unknown key; expected one of [alerts, district, districts, from, "
                    + "peak-seasons, version]";
        }
        if (update.equals("{\"version\": 3}")) {
            return "the update changes nothing; give alerts, districts, district or peak-seasons";
        }
        return "configuration key 'district': cannot be combined with districts, which replaces the whole list";
    }

    @Test
    void aRulesUpdatesFileIsCheckedInFullAndInOrder() throws Exception {
        Path file = dir.resolve("rules-1111.yaml");
        Files.writeString(file, """
                - {version: 1, from: "2026-11-11T18:00:00+08:00", alerts: {defaults: {STATION: {backlog: {yellow: 1500}}}}}
                - version: 2
                  from: 1794398400000
                  district: {code: "330482", capacity-per-hour: {SORTING_CENTER: 26000}}
                """);
        List<RuleUpdate> updates = RuleUpdatesFile.read(file, defaults);
        assertThat(updates).extracting(RuleUpdate::version).containsExactly(1L, 2L);
        assertThat(updates).extracting(RuleUpdate::from)
                .containsExactly(Scans.at("2026-11-11T18:00"), Scans.at("2026-11-11T20:00"));

        Files.writeString(file, """
                - {version: 1, from: "2026-11-11T18:00:00+08:00", alerts: {hysteresis: 0.2}}
                - {version: 2, from: "2026-11-11T20:00:00+08:00", district: {code: "330482", thresholds: {STATION: {backlog: {red: -5}}}}}
                """);
        assertThat(problem(() -> RuleUpdatesFile.read(file, defaults))).isEqualTo("rules updates file " + file
                + ", updates[1]: configuration key 'districts[330482].thresholds.STATION.backlog.red': must not be "
                + "negative, got -5");

        Files.writeString(file, """
                - {version: 2, from: "2026-11-11T18:00:00+08:00", alerts: {hysteresis: 0.2}}
                - {version: 2, from: "2026-11-11T20:00:00+08:00", alerts: {hysteresis: 0.3}}
                """);
        assertThat(problem(() -> RuleUpdatesFile.read(file, defaults))).isEqualTo("rules updates file " + file
                + ", updates[1]: configuration key 'version': must be above the version before it (2)");

        Files.writeString(file, """
                - {version: 1, from: "2026-11-11T18:00:00+08:00", alerts: {hysteresis: 0.2}}
                - {version: 2, from: "2026-11-11T08:00:00+08:00", alerts: {hysteresis: 0.3}}
                """);
        assertThat(problem(() -> RuleUpdatesFile.read(file, defaults))).isEqualTo("rules updates file " + file
                + ", updates[1]: configuration key 'from': is before the from of the update before it; list the "
                + "updates in time order");

        Files.writeString(file, "- {version: 1, alerts: {hysteresis: 0.2}}\n");
        assertThat(problem(() -> RuleUpdatesFile.read(file, defaults))).isEqualTo("rules updates file " + file
                + ", updates[0]: configuration key 'from': is missing; give the event time from which the update "
                + "applies, e.g. 2026-11-11T18:00:00+08:00");

        Files.writeString(file, "- {version: 1, from: \"2026-11-11 18:00\", alerts: {hysteresis: 0.2}}\n");
        assertThat(problem(() -> RuleUpdatesFile.read(file, defaults))).isEqualTo("rules updates file " + file
                + ", updates[0]: configuration key 'from': '2026-11-11 18:00' is not a time such as "
                + "2026-11-11T18:00:00+08:00 (with its offset) or epoch milliseconds");
    }
}
