package com.expressmonitor.job;

import static com.expressmonitor.testing.ExpectedAlerts.alert;
import static org.assertj.core.api.Assertions.assertThat;

import com.expressmonitor.config.ConfigLoader;
import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.event.ScanParser;
import com.expressmonitor.io.KafkaIo;
import com.expressmonitor.io.OutputJson;
import com.expressmonitor.testing.KafkaTestBroker;
import com.expressmonitor.testing.PipelineRun;
import com.expressmonitor.testing.Scans;
import com.expressmonitor.testing.StandardError;
import com.expressmonitor.testing.TestCluster;
import com.expressmonitor.tools.AlertRules;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Alert rules changed while the job runs, against a real Kafka broker, at parallelism 2: an update sent through the
 * control topic (with the {@code jobs/rules.sh} tool) changes the alerts of the windows the watermark has not passed
 * and not those before; a bad update is rejected with its reason and changes nothing, an old version is ignored, and
 * each says so in the results topic; the rules in force survive a stop with a savepoint and a resume (at another
 * parallelism), without falling back to the configuration file.
 */
class RuleUpdatesKafkaITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = TestCluster.twoSlots();

    @RegisterExtension
    static final KafkaTestBroker.PerClass KAFKA = new KafkaTestBroker.PerClass();

    @TempDir
    static Path dir;

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Version 1: the Nanhu district named, its station backlog thresholds raised from 4 and 8 to 40 and 80. */
    private static final String RAISE = """
            district:
              code: "330402"
              name: 南湖区
              thresholds: {STATION: {backlog: {yellow: 40, red: 80}}}
            """;

    private static KafkaTestBroker kafka() {
        return KAFKA.broker();
    }

    /** The settings of one case: its own topics and consumer group, station backlog thresholds 4 and 8. */
    private static Map<String, String> overrides(String name) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("kafka.bootstrap-servers", kafka().bootstrapServers());
        o.put("kafka.group-id", name + "-monitor");
        o.put("kafka.starting-offsets", "earliest");
        for (String t : List.of("scan-events", "district-metrics", "alerts", "dead-letter", "late-events", "alert-rules",
                "alert-rules-results")) {
            o.put("kafka.topics." + t, name + "." + t);
        }
        o.put("watermark.idleness", "0");
        o.put("alerts.defaults.STATION.backlog.yellow", "4");
        o.put("alerts.defaults.STATION.backlog.red", "8");
        return o;
    }

    private static MonitorConfig config(String name) throws Exception {
        MonitorConfig config = ConfigLoader.load(null, overrides(name));
        kafka().createTopic(config.kafka().scanEventsTopic(), 2);
        for (String t : List.of(config.kafka().districtMetricsTopic(), config.kafka().alertsTopic(),
                config.kafka().deadLetterTopic(), config.kafka().lateEventsTopic(), config.kafka().alertRulesTopic(),
                config.kafka().alertRulesResultsTopic())) {
            kafka().createTopic(t, 1);
        }
        return config;
    }

    private static JobID submit(MonitorConfig config, int parallelism, String savepoint) throws Exception {
        Configuration flink = new Configuration();
        MonitorPipeline.flinkDefaults().forEach(flink::setString);
        flink.setString("execution.checkpointing.interval", "500ms");
        if (savepoint != null) {
            flink.setString("execution.state-recovery.path", savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        env.setParallelism(parallelism);
        ScanParser parser = new ScanParser(config.facilities(), config.maxFutureMillis(), () -> PipelineRun.NOW);
        MonitorPipeline.build(env, config, new ScanInput(KafkaIo.source(config, parser), true, "Kafka", "source-kafka"),
                RuleInput.kafka(config.kafka(), false), KafkaIo.outputs(config, new OutputJson(config.zoneOffsetSeconds())));
        return env.executeAsync("rules " + config.kafka().groupId()).getJobID();
    }

    /** {@code count} parcels arriving at the Nanhu station at {@code time}, written to {@code partition}. */
    private static List<KafkaTestBroker.Out> arrivals(String prefix, int count, String time, int partition) {
        List<KafkaTestBroker.Out> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String parcel = prefix + i;
            out.add(new KafkaTestBroker.Out(partition, null, Scans.json("a-" + parcel, parcel, "ARRIVED", "ST-NH",
                    "STATION", "330402", "2026-11-11T" + time + ":" + String.format("%02d", i)).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    /** The results so far, each as "version status: detail (source) in force N", in order. */
    private static List<String> results(MonitorConfig config, int atLeast) throws Exception {
        List<String> out = new ArrayList<>();
        for (String v : values(kafka().readCommitted(config.kafka().alertRulesResultsTopic(), WAIT,
                r -> r.size() >= atLeast))) {
            JsonNode r = JSON.readTree(v);
            out.add(r.path("version").asText() + " " + r.path("status").asText() + ": " + r.path("detail").asText()
                    + " (" + r.path("source").asText() + ") in force " + r.path("rulesVersion").asText());
        }
        assertThat(out).as("results in " + config.kafka().alertRulesResultsTopic()).hasSizeGreaterThanOrEqualTo(atLeast);
        return out;
    }

    /** Runs {@code jobs/rules.sh} (the tool behind it) with the case's settings: exit status, stdout, stderr. */
    private record Tool(int exit, String out, String err) {}

    private static Tool rules(String name, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        overrides(name).forEach((k, v) -> {
            all.add("--" + k);
            all.add(v);
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StandardError.Captured<Integer> run = StandardError.capture(() ->
                AlertRules.status(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8)));
        return new Tool(run.value(), out.toString(StandardCharsets.UTF_8), run.err());
    }

    private static Path file(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }


    @Test
    void aThresholdRaisedMidStreamChangesTheLaterAlertsAndNotTheEarlierOnes(@InjectClusterClient ClusterClient<?> client)
            throws Exception {
        MonitorConfig config = config("raise");
        // Up to 10:29 on both partitions: backlog 3, 6, 9, 10, 11 in the windows 10:00 to 10:20, 13 at 10:25.
        List<KafkaTestBroker.Out> morning = new ArrayList<>();
        morning.addAll(arrivals("A", 3, "10:01", 0));
        morning.addAll(arrivals("B", 3, "10:06", 0));
        morning.addAll(arrivals("C", 3, "10:11", 0));
        morning.addAll(arrivals("D", 1, "10:16", 0));
        morning.addAll(arrivals("E", 1, "10:21", 0));
        morning.addAll(arrivals("F", 1, "10:29", 0));
        morning.addAll(arrivals("G", 1, "10:29", 1));
        kafka().produce(config.kafka().scanEventsTopic(), morning);
        JobID job = submit(config, 2, null);
        try {
            // Once the 10:20 window is written, the watermark stands at 10:26:59.999 (10:29 less 2 minutes): the
            // windows from 10:25 on are still open.
            kafka().readCommitted(config.kafka().districtMetricsTopic(), WAIT, r -> r.size() >= 5);

            Tool sent = rules("raise", "send", file("raise.yaml", RAISE).toString());
            assertThat(sent.exit()).as(sent.err()).isZero();
            assertThat(sent.out()).isEqualTo("sent version 1 to raise.alert-rules (kafka:raise.alert-rules/0/0); "
                    + "waiting for the monitor's answer in raise.alert-rules-results\n"
                    + "version 1 APPLIED: in force for the windows starting at or after 2026-11-11T10:25:00+08:00\n");

            // Then 30 and 40 more parcels, and time moves on to 10:50.
            List<KafkaTestBroker.Out> later = new ArrayList<>();
            later.addAll(arrivals("H", 30, "10:31", 0));
            later.addAll(arrivals("I", 40, "10:36", 0));
            later.addAll(arrivals("J", 1, "10:50", 0));
            later.addAll(arrivals("K", 1, "10:50", 1));
            kafka().produce(config.kafka().scanEventsTopic(), later);

            List<String> alerts = values(kafka().readCommitted(config.kafka().alertsTopic(), WAIT, r -> r.size() >= 5));
            assertThat(alerts).containsExactly(
                    // before the update: the file's thresholds 4 and 8
                    alert("OPEN", "YELLOW", "NONE", 6, 4, "10:05", "10:10", null, 0, "10:10"),
                    alert("ESCALATED", "RED", "YELLOW", 9, 8, "10:10", "10:15", null, 0, "10:10"),
                    // from 10:25: 40 and 80 (13 is below both hold levels, 36 and 72: resolved), and the name
                    alert("RESOLVED", "NONE", "RED", 13, 36, "10:25", "10:30", "南湖区", 1, "10:10"),
                    alert("OPEN", "YELLOW", "NONE", 43, 40, "10:30", "10:35", "南湖区", 1, "10:35"),
                    alert("ESCALATED", "RED", "YELLOW", 83, 80, "10:35", "10:40", "南湖区", 1, "10:35"));
            List<String> names = values(kafka().readCommitted(config.kafka().districtMetricsTopic(), WAIT,
                    r -> r.size() >= 8)).stream().map(m -> m.substring(m.indexOf("\"districtName\""),
                    m.indexOf(",\"facilityType\""))).toList();
            assertThat(names).containsExactly("\"districtName\":null", "\"districtName\":null", "\"districtName\":null",
                    "\"districtName\":null", "\"districtName\":null", "\"districtName\":\"南湖区\"",
                    "\"districtName\":\"南湖区\"", "\"districtName\":\"南湖区\"");
            assertThat(results(config, 2)).containsExactly(
                    "0 APPLIED: the rules of the configuration file, in force from the start (configuration) in force 0",
                    "1 APPLIED: in force for the windows starting at or after 2026-11-11T10:25:00+08:00 "
                            + "(kafka:raise.alert-rules/0/0) in force 1");
        } finally {
            client.cancel(job).get();
        }
    }

    @Test
    void aBadUpdateIsRejectedWithItsReasonAndChangesNothingAndAnOldVersionIsIgnored(
            @InjectClusterClient ClusterClient<?> client) throws Exception {
        MonitorConfig config = config("bad");
        JobID job = submit(config, 2, null);
        String rulesTopic = config.kafka().alertRulesTopic();
        try {
            results(config, 1); // the job runs: version 0 is written
            String bad = "{\"version\": 1, \"district\": {\"code\": \"330402\", \"thresholds\": {\"STATION\": "
                    + "{\"backlog\": {\"yellow\": 40, \"red\": -5}}}}}";

            // The tool checks the update as the job would: nothing is sent.
            Tool refused = rules("bad", "send", file("bad.json", bad).toString());
            assertThat(refused.exit()).isEqualTo(2);
            assertThat(refused.err()).isEqualTo("alert-rules: configuration key "
                    + "'districts[330402].thresholds.STATION.backlog.red': must not be negative, got -5\n");
            assertThat(kafka().readCommitted(rulesTopic, Duration.ofSeconds(2), r -> true)).isEmpty();

            // Sent anyway (by another producer), the job rejects it with the same message.
            kafka().produce(rulesTopic, List.of(new KafkaTestBroker.Out(0, null, bad.getBytes(StandardCharsets.UTF_8))));
            // A good version 1, then version 1 again: ignored, from the topic and from the tool.
            assertThat(rules("bad", "send", file("raise-bad.yaml", RAISE).toString(), "--version", "1").exit()).isZero();
            kafka().produce(rulesTopic, List.of(new KafkaTestBroker.Out(0, null,
                    "{\"version\": 1, \"alerts\": {\"hysteresis\": 0.5}}".getBytes(StandardCharsets.UTF_8))));
            Tool old = rules("bad", "send", file("old.yaml", "alerts: {hysteresis: 0.5}\n").toString(),
                    "--version", "1");
            assertThat(old.exit()).isEqualTo(1);
            assertThat(old.out()).endsWith("version 1 IGNORED: version 1 is not newer than version 1 in force; ignored\n");
            assertThat(old.err()).isEqualTo("alert-rules: version 1 was ignored; the rules in force stay version 1\n");

            assertThat(results(config, 5)).containsExactly(
                    "0 APPLIED: the rules of the configuration file, in force from the start (configuration) in force 0",
                    "1 REJECTED: configuration key 'districts[330402].thresholds.STATION.backlog.red': must not be "
                            + "negative, got -5 (kafka:bad.alert-rules/0/0) in force 0",
                    "1 APPLIED: in force for every window not evaluated yet (kafka:bad.alert-rules/0/1) in force 1",
                    "1 IGNORED: version 1 is not newer than version 1 in force; ignored (kafka:bad.alert-rules/0/2) "
                            + "in force 1",
                    "1 IGNORED: version 1 is not newer than version 1 in force; ignored (kafka:bad.alert-rules/0/3) "
                            + "in force 1");
            JsonNode rejected = JSON.readTree(values(kafka().readCommitted(config.kafka().alertRulesResultsTopic(), WAIT,
                    r -> r.size() >= 2)).get(1));
            assertThat(rejected.path("rules").toString()).isEqualTo(config.rules().json()); // unchanged

            // Alerts follow version 1: 45 parcels waiting is yellow at 40 (it would be red at the rejected -5 or at
            // the file's 8).
            List<KafkaTestBroker.Out> scans = new ArrayList<>(arrivals("P", 45, "10:01", 0));
            scans.addAll(arrivals("R", 1, "10:12", 0));
            scans.addAll(arrivals("S", 1, "10:12", 1));
            kafka().produce(config.kafka().scanEventsTopic(), scans);
            assertThat(values(kafka().readCommitted(config.kafka().alertsTopic(), WAIT, r -> !r.isEmpty())))
                    .containsExactly(alert("OPEN", "YELLOW", "NONE", 45, 40, "10:00", "10:05", "南湖区", 1, "10:05"));
        } finally {
            client.cancel(job).get();
        }
    }

    @Test
    void theUpdatedRulesStayInForceAfterStopWithSavepointAndResume(@InjectClusterClient ClusterClient<?> client)
            throws Exception {
        MonitorConfig config = config("resume");
        JobID first = submit(config, 2, null);
        results(config, 1);
        assertThat(rules("resume", "send", file("raise-resume.yaml", RAISE).toString()).exit()).isZero();
        String savepoint = client.stopWithSavepoint(first, false, dir.resolve("savepoints").toUri().toString(),
                SavepointFormatType.CANONICAL).get();

        // Resumed from the savepoint, at parallelism 1: version 1 is in force, the file's rules do not come back.
        JobID resumed = submit(config, 1, savepoint);
        try {
            List<KafkaTestBroker.Out> scans = new ArrayList<>(arrivals("P", 45, "10:01", 0));
            scans.addAll(arrivals("R", 1, "10:12", 0));
            scans.addAll(arrivals("S", 1, "10:12", 1));
            kafka().produce(config.kafka().scanEventsTopic(), scans);
            assertThat(values(kafka().readCommitted(config.kafka().alertsTopic(), WAIT, r -> !r.isEmpty())))
                    .containsExactly(alert("OPEN", "YELLOW", "NONE", 45, 40, "10:00", "10:05", "南湖区", 1, "10:05"));
            assertThat(results(config, 2)).containsExactly(
                    "0 APPLIED: the rules of the configuration file, in force from the start (configuration) in force 0",
                    "1 APPLIED: in force for every window not evaluated yet (kafka:resume.alert-rules/0/0) in force 1");
            Tool shown = rules("resume", "show");
            assertThat(shown.exit()).isZero();
            assertThat(shown.out()).startsWith("# alert rules version 1: in force for every window not evaluated yet\n"
                    + "# applied ").contains("  name: 南湖区\n");
        } finally {
            client.cancel(resumed).get();
        }
    }
}
