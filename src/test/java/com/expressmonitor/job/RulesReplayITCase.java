package com.expressmonitor.job;

import static com.expressmonitor.testing.ExpectedAlerts.alert;
import static org.assertj.core.api.Assertions.assertThat;

import com.expressmonitor.config.ConfigLoader;
import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.config.RuleUpdatesFile;
import com.expressmonitor.testing.PipelineRun;
import com.expressmonitor.testing.Scans;
import com.expressmonitor.testing.TestCluster;

import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A replay with a rules-updates file: the rules change at the event time the file names, whatever the speed or the
 * parallelism of the run, so a past day replays with the changes made on it, the same on every run; and the windows
 * after the change are exactly those of a run whose configuration file holds the new rules from the start.
 */
class RulesReplayITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = TestCluster.twoSlots();

    @TempDir
    Path dir;

    /** Station backlog: yellow at 4, red at 8. */
    private static final Map<String, String> OVERRIDES = Map.of("alerts.defaults.STATION.backlog.yellow", "4",
            "alerts.defaults.STATION.backlog.red", "8", "validation.max-future", "3650d");

    /** From 12:00 the Nanhu district is named and its station backlog thresholds are 10 and 20. */
    private static final String RULES_FILE = """
            - version: 1
              from: "2026-11-11T12:00:00+08:00"
              district: {code: "330402", name: 南湖区, thresholds: {STATION: {backlog: {yellow: 10, red: 20}}}}
            """;

    /**
     * Two input files (two input partitions) at one Nanhu station: a morning backlog of 6 then 9 parcels, delivered in
     * the 10:10 window (the file's thresholds raise, escalate and resolve an alert; the new ones would not); one parcel
     * in and out at 11:00; then 12 then 22 parcels, delivered in the 12:10 window.
     */
    private void feed(Path folder) throws Exception {
        List<List<String>> files = List.of(new ArrayList<>(), new ArrayList<>());
        int parcel = 0;
        // waves of arrivals, each delivered at the time given: {arrive, count, delivered}
        String[][] waves = {{"10:01", "6", "10:11"}, {"10:06", "3", "10:11"}, {"11:01", "1", "11:02"},
            {"12:01", "12", "12:11"}, {"12:06", "10", "12:11"}};
        List<String[]> scans = new ArrayList<>(); // {time, file, line}
        for (String[] w : waves) {
            for (int i = 0; i < Integer.parseInt(w[1]); i++) {
                parcel++;
                String file = String.valueOf(parcel % 2);
                String seconds = String.format("%02d", parcel % 60);
                String arrive = "2026-11-11T" + w[0] + ":" + seconds;
                String deliver = "2026-11-11T" + w[2] + ":" + seconds;
                scans.add(new String[] {arrive, file, Scans.json("a" + parcel, "NH" + parcel, "ARRIVED", "ST-NH",
                        "STATION", "330402", arrive)});
                scans.add(new String[] {deliver, file, Scans.json("d" + parcel, "NH" + parcel, "DELIVERED", "ST-NH",
                        "STATION", "330402", deliver)});
            }
        }
        scans.sort(java.util.Comparator.comparing(x -> x[0]));
        for (String[] x : scans) {
            files.get(Integer.parseInt(x[1])).add(x[2]);
        }
        Files.createDirectories(folder);
        Files.write(folder.resolve("part-1.jsonl"), files.get(0));
        Files.write(folder.resolve("part-2.jsonl"), files.get(1));
    }


    @Test
    void aReplayWithTimedRulesGivesTheSameOutputsAtAnyParallelismAndTheNewRulesFromTheirTime() throws Exception {
        Path scans = dir.resolve("scans");
        feed(scans);
        Path rulesFile = dir.resolve("rules-1111.yaml");
        Files.writeString(rulesFile, RULES_FILE);
        MonitorConfig config = ConfigLoader.load(null, OVERRIDES);

        // Parallelism 1, as the pipeline runs it.
        PipelineRun.Result one = PipelineRun.run(config, PipelineRun.replayInput(config, scans.toString()),
                RuleInput.timed(RuleUpdatesFile.read(rulesFile, config.rules()), "rules-1111.yaml", false), 1);
        assertThat(one.alerts()).containsExactlyInAnyOrder(
                alert("OPEN", "YELLOW", "NONE", "6", "4", "10:00", "10:05", null, 0, "10:05"),
                alert("ESCALATED", "RED", "YELLOW", "9", "8", "10:05", "10:10", null, 0, "10:05"),
                alert("RESOLVED", "NONE", "RED", "0", "3.6", "10:10", "10:15", null, 0, "10:05"),
                alert("OPEN", "YELLOW", "NONE", "12", "10", "12:00", "12:05", "南湖区", 1, "12:05"),
                alert("ESCALATED", "RED", "YELLOW", "22", "20", "12:05", "12:10", "南湖区", 1, "12:05"),
                alert("RESOLVED", "NONE", "RED", "0", "9", "12:10", "12:15", "南湖区", 1, "12:05"));
        assertThat(one.metrics()).hasSize(7);

        // Parallelism 2, from the command line, into a folder: the same outputs.
        Path out = dir.resolve("out");
        CommandLine cli = CommandLine.parse(new String[] {"--source", "file:" + scans, "--sink", "dir:" + out,
                "--parallelism", "2", "--rules-updates", rulesFile.toString(),
                "--alerts.defaults.STATION.backlog.yellow", "4", "--alerts.defaults.STATION.backlog.red", "8"});
        ExpressTrafficMonitor.run(cli, ConfigLoader.load(null, cli.overrides()));
        assertThat(lines(out.resolve("alerts"))).containsExactlyElementsOf(one.alerts());
        assertThat(lines(out.resolve("district-metrics"))).containsExactlyElementsOf(one.metrics());
        assertThat(lines(out.resolve("rule-updates")).stream()
                .map(l -> l.replaceAll("\"appliedAt\":\"[^\"]*\"", "\"appliedAt\":\"...\"")).toList())
                .containsExactlyInAnyOrder(
                        "{\"version\":0,\"status\":\"APPLIED\",\"detail\":\"the rules of the configuration file, in force "
                                + "from the start\",\"effectiveFrom\":null,\"appliedAt\":\"...\",\"source\":\"configuration\","
                                + "\"rulesVersion\":0,\"rules\":" + config.rules().json() + "}",
                        "{\"version\":1,\"status\":\"APPLIED\",\"detail\":\"in force for the windows starting at or after "
                                + "2026-11-11T12:00:00+08:00\",\"effectiveFrom\":\"2026-11-11T12:00:00+08:00\","
                                + "\"appliedAt\":\"...\",\"source\":\"file:rules-1111.yaml[0]\",\"rulesVersion\":1,"
                                + "\"rules\":" + one.ruleResults().get(1).rules() + "}");

        // A configuration file holding the new rules from the start: the same windows from 12:00 on.
        Path newRules = dir.resolve("new-rules.yaml");
        Files.writeString(newRules, one.ruleResults().get(1).rules()); // JSON is YAML: the rules' own sections
        MonitorConfig later = ConfigLoader.load(newRules, OVERRIDES);
        PipelineRun.Result fromFile = PipelineRun.replay(later, scans.toString(), 2);
        long noon = Scans.at("2026-11-11T12:00");
        assertThat(fromNoon(fromFile.alerts(), noon)).containsExactlyElementsOf(
                fromNoon(one.alerts(), noon).stream().map(a -> a.replace("\"rulesVersion\":1", "\"rulesVersion\":0"))
                        .toList());
        assertThat(fromNoon(fromFile.metrics(), noon)).containsExactlyElementsOf(fromNoon(one.metrics(), noon))
                .hasSize(3);
        assertThat(fromFile.alerts()).hasSize(3); // before noon, nothing reaches the new thresholds
    }

    private static List<String> fromNoon(List<String> lines, long noon) {
        return lines.stream().filter(l -> {
            int i = l.indexOf("\"windowStart\":\"") + 15;
            return com.expressmonitor.event.ScanParser.parseIsoTime(l.substring(i, i + 25)) >= noon;
        }).toList();
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
                    }).sorted().toList();
        }
    }
}
