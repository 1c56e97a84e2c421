package com.expressmonitor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.expressmonitor.config.ConfigLoader;
import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.config.RuleUpdate;
import com.expressmonitor.config.Rules;
import com.expressmonitor.testing.CoordinatorHarness;
import com.expressmonitor.testing.Scans;

import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * The rules coordinator: the file's rules first, each update answered (applied with the windows it applies to,
 * rejected with its reason, ignored when not newer), timed updates from their own time, the rules in force after a
 * restore, and the file's rules back only when asked, once per job.
 */
class RuleCoordinatorTest {
    private static final long MIN = Long.MIN_VALUE;
    private static final MonitorConfig CONFIG = ConfigLoader.defaults();
    private static final Rules FILE = CONFIG.rules();

    private static RuleCoordinator coordinator(boolean reset, List<RuleUpdate> timed) {
        return new RuleCoordinator(FILE, timed, "rules.yaml", reset, CONFIG.windowSizeMillis(),
                CONFIG.zoneOffsetSeconds());
    }

    private static String json(Rules base, String... updates) {
        Rules r = base;
        for (String u : updates) {
            r = RuleUpdate.parseLive(u).applyTo(r);
        }
        return r.json();
    }

    private static final String V1 = "{\"version\": 1, \"alerts\": {\"hysteresis\": 0.2}}";
    private static final String V2 = "{\"version\": 2, \"district\": {\"code\": \"330402\", \"name\": \"南湖区\"}}";

    private static RuleResult result(Long version, RuleStatus status, String detail, Long from, String source,
            long inForce, String rules) {
        return new RuleResult(version, status, detail, from, 0, source, inForce, rules);
    }

    @Test
    void theFileRulesComeFirstThenEachUpdateIsAnswered() throws Exception {
        try (CoordinatorHarness h = new CoordinatorHarness(coordinator(false, List.of()), new JobID())) {
            h.open();
            assertThat(h.takeOutput()).isEmpty();
            long w1 = Scans.at("2026-11-11T10:07");
            h.watermark(w1);
            // version 0 before the first watermark, so that the alert operator has it before any window
            assertThat(h.takeOutput()).containsExactly(new RuleVersion(0, MIN, FILE.json()), "watermark " + w1);
            assertThat(h.takeResults()).containsExactly(result(0L, RuleStatus.APPLIED,
                    "the rules of the configuration file, in force from the start", MIN, "configuration", 0, FILE.json()));

            // The watermark is in the window [10:05, 10:10): it and every later window use the update.
            h.update(V1, "kafka:rules/0/0");
            String v1 = json(FILE, V1);
            assertThat(h.takeOutput()).containsExactly(new RuleVersion(1, Scans.at("2026-11-11T10:05"), v1));
            assertThat(h.takeResults()).containsExactly(result(1L, RuleStatus.APPLIED,
                    "in force for the windows starting at or after 2026-11-11T10:05:00+08:00",
                    Scans.at("2026-11-11T10:05"), "kafka:rules/0/0", 1, v1));

            // Watermark 10:09:59.999: every window up to [10:05, 10:10) is done, so the next starts at 10:10.
            h.watermark(Scans.at("2026-11-11T10:10") - 1);
            h.takeOutput();
            h.update(V2, "kafka:rules/0/1");
            String v2 = json(FILE, V1, V2);
            assertThat(h.takeOutput()).containsExactly(new RuleVersion(2, Scans.at("2026-11-11T10:10"), v2));

            h.update(V2, "kafka:rules/0/2");
            h.update(V1, "kafka:rules/0/3");
            h.update("{\"version\": 3, \"district\": {\"code\": \"330482\", \"thresholds\": {\"STATION\": "
                    + "{\"backlog\": {\"red\": -5}}}}}", "kafka:rules/0/4");
            h.update("{\"version\": 4, \"alerts\": ", "kafka:rules/0/5");
            h.update(null, "kafka:rules/0/6");
            assertThat(h.takeOutput()).isEmpty(); // nothing changed
            List<RuleResult> results = h.takeResults();
            assertThat(results).hasSize(6);
            assertThat(results.subList(1, 6)).containsExactly(
                    result(2L, RuleStatus.IGNORED, "version 2 is not newer than version 2 in force; ignored", null,
                            "kafka:rules/0/2", 2, v2),
                    result(1L, RuleStatus.IGNORED, "version 1 is not newer than version 2 in force; ignored", null,
                            "kafka:rules/0/3", 2, v2),
                    result(3L, RuleStatus.REJECTED, "configuration key 'districts[330482].thresholds.STATION.backlog.red': "
                            + "must not be negative, got -5", null, "kafka:rules/0/4", 2, v2),
                    result(null, RuleStatus.REJECTED, "the update is not JSON: Unexpected end-of-input within/between "
                            + "Object entries (line 1, column 26)", null, "kafka:rules/0/5", 2, v2),
                    result(null, RuleStatus.REJECTED, "the update is not UTF-8 text", null, "kafka:rules/0/6", 2, v2));
        }
    }

    @Test
    void afterARestoreTheRulesInForceStayAndTheFileComesBackOnlyWhenAskedOncePerJob() throws Exception {
        OperatorSubtaskState v1InForce;
        String v1 = json(FILE, V1);
        try (CoordinatorHarness h = new CoordinatorHarness(coordinator(false, List.of()), new JobID())) {
            h.open();
            h.watermark(Scans.at("2026-11-11T10:07"));
            h.update(V1, "kafka:rules/0/0");
            v1InForce = h.snapshot(1, 1);
        }
        // Resumed: nothing is sent again; an update before the first watermark applies to every window left.
        try (CoordinatorHarness h = new CoordinatorHarness(coordinator(false, List.of()), new JobID())) {
            h.initializeState(v1InForce);
            h.open();
            h.update(V2, "kafka:rules/0/1");
            assertThat(h.takeOutput()).containsExactly(
                    new RuleVersion(2, Scans.at("2026-11-11T10:05"), json(FILE, V1, V2)));
            assertThat(h.takeResults()).singleElement().extracting(RuleResult::detail)
                    .isEqualTo("in force for every window not evaluated yet");
        }
        // Resumed with --rules-reset-to-file: the file's rules are the next version...
        JobID job = new JobID();
        OperatorSubtaskState reset;
        try (CoordinatorHarness h = new CoordinatorHarness(coordinator(true, List.of()), job)) {
            h.initializeState(v1InForce);
            h.open();
            h.watermark(Scans.at("2026-11-11T10:20"));
            assertThat(h.takeOutput()).containsExactly(new RuleVersion(2, Scans.at("2026-11-11T10:05"), FILE.json()),
                    "watermark " + Scans.at("2026-11-11T10:20"));
            assertThat(h.takeResults()).containsExactly(result(2L, RuleStatus.APPLIED, "the rules of the configuration "
                    + "file, put back in force on request (--rules-reset-to-file); in force for every window not "
                    + "evaluated yet", Scans.at("2026-11-11T10:05"), "configuration", 2, FILE.json()));
            h.update(V1.replace("1,", "3,"), "kafka:rules/0/1");
            reset = h.snapshot(2, 2);
        }
        // ... once: the same job restarting after a failure keeps what was sent since ...
        try (CoordinatorHarness h = new CoordinatorHarness(coordinator(true, List.of()), job)) {
            h.initializeState(reset);
            h.open();
            h.watermark(Scans.at("2026-11-11T10:25"));
            assertThat(h.takeOutput()).containsExactly("watermark " + Scans.at("2026-11-11T10:25"));
            assertThat(h.takeResults()).isEmpty();
        }
        // ... and a new submission asking for it again gets it again.
        try (CoordinatorHarness h = new CoordinatorHarness(coordinator(true, List.of()), new JobID())) {
            h.initializeState(reset);
            h.open();
            h.watermark(Scans.at("2026-11-11T10:25"));
            assertThat(h.takeOutput()).first().isEqualTo(new RuleVersion(4, Scans.at("2026-11-11T10:20"), FILE.json()));
        }
    }

    @Test
    void timedUpdatesApplyFromTheirOwnTimeBeforeAnyWindowIsEvaluated() throws Exception {
        RuleUpdate t1 = RuleUpdate.parse(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"version\": 1, \"from\": \"2026-11-11T18:00:00+08:00\", \"alerts\": {\"hysteresis\": 0.2}}"), true, true);
        RuleUpdate t2 = RuleUpdate.parse(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"version\": 2, \"from\": \"2026-11-11T20:00:00+08:00\", \"district\": {\"code\": \"330402\", "
                        + "\"name\": \"南湖区\"}}"), true, true);
        OperatorSubtaskState state;
        try (CoordinatorHarness h = new CoordinatorHarness(coordinator(false, List.of(t1, t2)), new JobID())) {
            h.open();
            h.watermark(Scans.at("2026-11-11T00:00"));
            assertThat(h.takeOutput()).containsExactly(new RuleVersion(0, MIN, FILE.json()),
                    new RuleVersion(1, Scans.at("2026-11-11T18:00"), json(FILE, V1)),
                    new RuleVersion(2, Scans.at("2026-11-11T20:00"), json(FILE, V1, V2)),
                    "watermark " + Scans.at("2026-11-11T00:00"));
            assertThat(h.takeResults()).extracting(RuleResult::source, RuleResult::detail).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("configuration", "the rules of the configuration file, in force "
                            + "from the start"),
                    org.assertj.core.groups.Tuple.tuple("file:rules.yaml[0]", "in force for the windows starting at or "
                            + "after 2026-11-11T18:00:00+08:00"),
                    org.assertj.core.groups.Tuple.tuple("file:rules.yaml[1]", "in force for the windows starting at or "
                            + "after 2026-11-11T20:00:00+08:00"));
            state = h.snapshot(1, 1);
        }
        // A resumed replay with the same file: those versions are in force already.
        try (CoordinatorHarness h = new CoordinatorHarness(coordinator(false, List.of(t1, t2)), new JobID())) {
            h.initializeState(state);
            h.open();
            h.watermark(Scans.at("2026-11-11T12:00"));
            assertThat(h.takeOutput()).containsExactly("watermark " + Scans.at("2026-11-11T12:00"));
            assertThat(h.takeResults()).extracting(RuleResult::status).containsExactly(RuleStatus.IGNORED,
                    RuleStatus.IGNORED);
        }
    }
}
