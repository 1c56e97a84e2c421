package com.expressmonitor.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Prometheus files under config/prometheus as promtool sees them: the scrape configuration and the rules are
 * valid, and the rule unit tests under config/prometheus/tests pass. Every alerting rule waits ({@code for:}), has a
 * severity, a summary and a description, and is expected to fire in at least one unit test; the job-down rule
 * fires in a test with no series at all.
 */
@ExtendWith(PrometheusInstalled.class)
class PromtoolTest {
    static final Path DIR = Path.of("config/prometheus");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Runs promtool and fails with its output unless it exits with 0. */
    private static String promtool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(PrometheusInstalled.binary("promtool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + " said:\n" + out).isZero();
        return out;
    }

    static List<Path> ruleFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        YAML.readTree(DIR.resolve("prometheus.yml").toFile()).path("rule_files")
                .forEach(f -> files.add(DIR.resolve(f.asText())));
        return files;
    }

    /** Every alerting rule of the project's rule files, by name. */
    static Map<String, JsonNode> alertingRules() throws IOException {
        Map<String, JsonNode> rules = new LinkedHashMap<>();
        for (Path f : ruleFiles()) {
            for (JsonNode group : YAML.readTree(f.toFile()).path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    if (rule.has("alert")) {
                        rules.put(rule.get("alert").asText(), rule);
                    }
                }
            }
        }
        return rules;
    }

    private static List<Path> testFiles() throws IOException {
        try (Stream<Path> s = Files.list(DIR.resolve("tests"))) {
            return s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
        }
    }

    @Test
    void scrapeConfigurationIsValid() throws Exception {
        assertThat(promtool("check", "config", DIR.resolve("prometheus.yml").toString())).contains("SUCCESS");
    }

    @Test
    void rulesAreValid() throws Exception {
        List<String> args = new ArrayList<>(List.of("check", "rules"));
        ruleFiles().forEach(f -> args.add(f.toString()));
        assertThat(ruleFiles()).isNotEmpty();
        assertThat(promtool(args.toArray(String[]::new))).contains("SUCCESS");
    }

    @Test
    void ruleUnitTestsPass() throws Exception {
        List<String> args = new ArrayList<>(List.of("test", "rules"));
        testFiles().forEach(f -> args.add(f.toString()));
        assertThat(testFiles()).isNotEmpty();
        assertThat(promtool(args.toArray(String[]::new))).contains("SUCCESS").doesNotContain("FAILED");
    }

    @Test
    void everyAlertWaitsHasSeverityAndInstructionsAndIsTestedFiring() throws Exception {
        Map<String, JsonNode> rules = alertingRules();
        assertThat(rules).isNotEmpty();
        Map<String, Integer> firing = new LinkedHashMap<>();
        boolean downWithoutSeries = false;
        for (Path f : testFiles()) {
            for (JsonNode test : YAML.readTree(f.toFile()).path("tests")) {
                boolean noSeries = test.path("input_series").isEmpty();
                for (JsonNode t : test.path("alert_rule_test")) {
                    if (!t.path("exp_alerts").isEmpty()) {
                        String name = t.path("alertname").asText();
                        firing.merge(name, 1, Integer::sum);
                        downWithoutSeries |= noSeries && name.equals("ExpressMonitorDown");
                    }
                }
            }
        }
        for (Map.Entry<String, JsonNode> e : rules.entrySet()) {
            JsonNode rule = e.getValue();
            assertThat(rule.path("for").asText()).as(e.getKey() + " for:").matches("[1-9][0-9]*[smh]");
            assertThat(rule.path("labels").path("severity").asText()).as(e.getKey() + " severity")
                    .isIn("warning", "critical");
            assertThat(rule.path("annotations").path("summary").asText()).as(e.getKey() + " summary").isNotBlank();
            assertThat(rule.path("annotations").path("description").asText()).as(e.getKey() + " description")
                    .hasSizeGreaterThan(80);
        }
        assertThat(firing.keySet()).as("alerts expected to fire in some unit test")
                .containsExactlyInAnyOrderElementsOf(rules.keySet());
        assertThat(downWithoutSeries).as("ExpressMonitorDown fires with no series at all").isTrue();
    }
}
