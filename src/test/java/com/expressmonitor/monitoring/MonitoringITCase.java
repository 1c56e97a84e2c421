package com.expressmonitor.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.expressmonitor.config.ConfigLoader;
import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.event.ScanParser;
import com.expressmonitor.io.KafkaIo;
import com.expressmonitor.io.OutputJson;
import com.expressmonitor.job.MonitorPipeline;
import com.expressmonitor.job.ScanInput;
import com.expressmonitor.metrics.DistrictLabels;
import com.expressmonitor.testing.KafkaTestBroker;
import com.expressmonitor.testing.PipelineRun;
import com.expressmonitor.testing.Scans;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The monitoring as ops run it, end to end: the real pipeline ({@link MonitorPipeline#build}) at parallelism 2 on a
 * mini cluster whose Prometheus reporter is configured by the {@code metrics:} block of config/flink/config.yaml,
 * reading a feed from Kafka and writing exactly-once to Kafka with checkpoints (so that the Kafka source's lag, the
 * committers' and the checkpoint metrics exist); a real {@code prometheus} started by the test with the project's
 * prometheus.yml (targets replaced by the reporter's port, scrape and rule evaluation every second) and its rule
 * files. Then, through Prometheus's HTTP API:
 *
 * <ul>
 *   <li>every metric of the job's own group in the scrape is documented in src/site/markdown/monitoring.md, and the
 *       {@code district} label takes the configured districts, 50 others per subtask and "other", no more;
 *   <li>every template variable of the dashboard returns values (Grafana's {@code label_values(selector, label)} is
 *       the label-values API with that selector as {@code match[]}), each with the variables before it filled in;
 *   <li>every dashboard query parses and returns data, with the variables filled in twice: as Grafana's "All" (every
 *       value its query returned, as a regex) and with the first value of each; {@code $__rate_interval} as Grafana
 *       computes it for a 1 s scrape (4 s), {@code $__range} the time since the job started; the legend of every
 *       query, filled with each line's labels, tells the lines of its panel apart;
 *   <li>every rule is loaded and evaluated by Prometheus without error; every recording rule returns data; every
 *       alerting rule's expression parses, and because most of them are false in a healthy run (an empty answer
 *       would not show that they look at real series), every series selector in it is queried on its own and must
 *       return data, so a misspelt metric or label fails. The feed makes districts red, so the red-district rule's
 *       whole expression must return data; the rules for the job down, not running, restarting, without input,
 *       with an old checkpoint, growing Kafka lag and commit failures must be false.
 * </ul>
 *
 * <p>Needs {@code prometheus} on the PATH (see {@link PrometheusInstalled}: skipped without it unless CI is set).
 */
@ExtendWith(PrometheusInstalled.class)
class MonitoringITCase {
    private static final int REPORTER_PORT = freePort();
    private static final String SCRAPE_JOB = "express-traffic-monitor";
    private static final String RATE_INTERVAL = "4s"; // Grafana: max(interval + scrape, 4 x scrape) with 1 s scrapes
    private static final int UNCONFIGURED_DISTRICTS = 200;
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String TIME = "@TIME@";

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
            .setConfiguration(reporterConfiguration(REPORTER_PORT)).build());

    @RegisterExtension
    static final KafkaTestBroker.PerClass KAFKA = new KafkaTestBroker.PerClass();

    private static int freePort() {
        try {
            return PrometheusServer.freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code metrics:} block of config/flink/config.yaml as Flink reads it, with the reporter on {@code port}. */
    static Configuration reporterConfiguration(int port) {
        try {
            JsonNode yaml = YAML.readTree(Path.of("config/flink/config.yaml").toFile());
            Map<String, String> flat = new LinkedHashMap<>();
            flatten("metrics", yaml.get("metrics"), flat);
            assertThat(flat).containsKey("metrics.reporter.prom.port");
            flat.put("metrics.reporter.prom.port", String.valueOf(port));
            return Configuration.fromMap(flat);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else {
            out.put(prefix, node.asText());
        }
    }

    /** Low thresholds and two configured districts with capacities, so that warnings and SURGE thresholds exist. */
    private static MonitorConfig config(Path dir) throws IOException {
        Path yaml = dir.resolve("monitor.yaml");
        Files.writeString(yaml, """
                window: {size: 5m, timezone: Asia/Shanghai}
                watermark: {out-of-orderness: 2m, idleness: 1s}
                alerts:
                  hysteresis: 0.1
                  defaults:
                    SORTING_CENTER: {backlog: {yellow: 1, red: 2}, stuck: {yellow: 100, red: 500}, surge: {yellow: 0.8, red: 1.0}}
                    STATION:        {backlog: {yellow: 1, red: 2}, stuck: {yellow: 50, red: 200}, surge: {yellow: 0.8, red: 1.0}}
                peak-seasons:
                  - {name: DOUBLE_11, from: "11-01", to: "11-20", threshold-multiplier: 1.5}
                districts:
                  - {code: "330482", name: 平湖市, capacity-per-hour: {SORTING_CENTER: 60, STATION: 60}}
                  - {code: "330402", name: 南湖区, capacity-per-hour: {SORTING_CENTER: 60}}
                """, StandardCharsets.UTF_8);
        KafkaTestBroker kafka = KAFKA.broker();
        return ConfigLoader.load(yaml, Map.of("kafka.bootstrap-servers", kafka.bootstrapServers(),
                "kafka.group-id", "monitoring", "kafka.starting-offsets", "earliest"));
    }

    /**
     * Two partitions, each in time order: 20 parcels into 330482's sorting center (red backlog and surge), some of
     * them leaving, a delivery at its station, two parcels into 330402, three into each of 200 districts outside the
     * configuration (red, and beyond the label bound on both subtasks), a duplicate, a late record and three invalid
     * ones; then both partitions move to 10:30 so that the windows before close.
     */
    private static List<KafkaTestBroker.Out> feed() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            lines.add(Scans.json("a" + i, "PH" + i, "ARRIVED", "SC-PH", "SORTING_CENTER", "330482", TIME));
        }
        for (int i = 0; i < 5; i++) {
            lines.add(Scans.json("d" + i, "PH" + i, "DEPARTED", "SC-PH", "SORTING_CENTER", "330482", TIME));
        }
        lines.add(Scans.json("s1", "PH0", "ARRIVED", "ST-PH", "STATION", "330482", TIME));
        lines.add(Scans.json("s2", "PH0", "DELIVERED", "ST-PH", "STATION", "330482", TIME));
        lines.add(Scans.json("n1", "NH1", "ARRIVED", "SC-NH", "SORTING_CENTER", "330402", TIME));
        lines.add(Scans.json("n2", "NH2", "ARRIVED", "SC-NH", "SORTING_CENTER", "330402", TIME));
        for (int d = 0; d < UNCONFIGURED_DISTRICTS; d++) {
            String code = String.valueOf(410100 + d);
            for (int p = 0; p < 3; p++) {
                lines.add(Scans.json("x" + d + "-" + p, "X" + d + "-" + p, "ARRIVED", "SC-" + code, "SORTING_CENTER",
                        code, TIME));
            }
        }
        lines.add("{\"eventId\":");
        lines.add("not json");
        lines.add("{\"eventId\":\"bad\",\"waybillNo\":\"B1\",\"scanType\":\"LOST\",\"facilityId\":\"SC-PH\","
                + "\"eventTime\":\"2026-11-11T09:10:00+08:00\"}");
        List<String> timed = new ArrayList<>();
        long first = Scans.at("2026-11-11T09:00");
        for (int i = 0; i < lines.size(); i++) {
            // one second apart per partition: each partition stays in time order
            String time = LocalDateTime.ofEpochSecond(first / 1000 + i / 2, 0, ZoneOffset.ofHours(8)).toString();
            timed.add(lines.get(i).replace(TIME, time));
        }
        timed.add(40, timed.get(0)); // sent again 20 s later, within the two minutes: a duplicate
        List<KafkaTestBroker.Out> out = new ArrayList<>();
        for (int i = 0; i < timed.size(); i++) {
            out.add(new KafkaTestBroker.Out(i % 2, null, timed.get(i).getBytes(StandardCharsets.UTF_8)));
        }
        // late: more than two minutes behind its partition's latest
        out.add(new KafkaTestBroker.Out(0, null, Scans.json("late", "L1", "ARRIVED", "SC-PH", "SORTING_CENTER",
                "330482", "2026-11-11T09:00:00").getBytes(StandardCharsets.UTF_8)));
        for (int p = 0; p < 2; p++) {
            out.add(new KafkaTestBroker.Out(p, null, Scans.json("end" + p, "E" + p, "ARRIVED", "SC-PH", "SORTING_CENTER",
                    "330482", "2026-11-11T10:30:00").getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    /**
     * Keeps scans coming after the feed, a few per second on both partitions (as a live network does), so that input
     * rates are not zero while Prometheus scrapes.
     */
    private static Thread trickle(MonitorConfig config) {
        Thread t = new Thread(() -> {
            Properties p = new Properties();
            p.put("bootstrap.servers", KAFKA.broker().bootstrapServers());
            try (KafkaProducer<byte[], byte[]> producer =
                    new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                long first = Scans.at("2026-11-11T10:30");
                for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
                    String time = LocalDateTime.ofEpochSecond(first / 1000 + 1 + i / 2, 0, ZoneOffset.ofHours(8))
                            .toString();
                    producer.send(new ProducerRecord<>(config.kafka().scanEventsTopic(), i % 2, null, Scans.json(
                            "t" + i, "T" + i, "ARRIVED", "ST-PH", "STATION", "330482", time)
                            .getBytes(StandardCharsets.UTF_8)));
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "scan-trickle");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static JobClient startJob(MonitorConfig config) throws Exception {
        KafkaTestBroker kafka = KAFKA.broker();
        kafka.createTopic(config.kafka().scanEventsTopic(), 2);
        kafka.createTopic(config.kafka().districtMetricsTopic(), 2);
        kafka.createTopic(config.kafka().alertsTopic(), 1);
        kafka.createTopic(config.kafka().deadLetterTopic(), 1);
        kafka.createTopic(config.kafka().lateEventsTopic(), 1);
        kafka.produce(config.kafka().scanEventsTopic(), feed());
        Configuration flink = new Configuration();
        MonitorPipeline.flinkDefaults().forEach(flink::setString);
        flink.setString(KafkaIo.CHECKPOINT_INTERVAL_KEY, "1s");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        env.setParallelism(2);
        ScanParser parser = new ScanParser(config.facilities(), config.maxFutureMillis(), () -> PipelineRun.NOW);
        MonitorPipeline.build(env, config, new ScanInput(KafkaIo.source(config, parser), true,
                "Kafka " + config.kafka().scanEventsTopic(), "source-kafka"),
                KafkaIo.outputs(config, new OutputJson(config.zoneOffsetSeconds())));
        return env.executeAsync("Express Traffic Monitor (kafka -> kafka)");
    }

    /** The project's prometheus.yml with the reporter's port as the only target, 1 s intervals and absolute paths. */
    private static Path prometheusConfig(Path dir) throws IOException {
        Path project = Path.of("config/prometheus").toAbsolutePath();
        ObjectNode config = (ObjectNode) YAML.readTree(project.resolve("prometheus.yml").toFile());
        ObjectNode global = (ObjectNode) config.get("global");
        global.put("scrape_interval", "1s");
        global.put("evaluation_interval", "1s");
        ArrayNode rules = config.putArray("rule_files");
        for (Path f : PromtoolTest.ruleFiles()) {
            rules.add(f.toAbsolutePath().toString());
        }
        JsonNode job = config.get("scrape_configs").get(0);
        assertThat(job.get("job_name").asText()).isEqualTo(SCRAPE_JOB);
        ArrayNode targets = ((ObjectNode) job.get("static_configs").get(0)).putArray("targets");
        targets.add("127.0.0.1:" + REPORTER_PORT);
        Path file = dir.resolve("prometheus.yml");
        YAML.writeValue(file.toFile(), config);
        return file;
    }

    /** Waits until {@code expr} returns data. */
    private static void await(String what, String expr, PrometheusServer prometheus) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (prometheus.query(expr).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 60 s for " + what + " (" + expr + ")");
            }
            Thread.sleep(500);
        }
    }

    @Test
    void everyDashboardQueryAndRuleReturnsDataFromARealScrape(@TempDir Path tmp) throws Exception {
        MonitorConfig config = config(tmp);
        JobClient job = startJob(config);
        Thread trickle = trickle(config);
        long start = System.currentTimeMillis() / 1000;
        try (PrometheusServer prometheus = PrometheusServer.start(prometheusConfig(tmp), tmp)) {
            String d = "flink_taskmanager_job_task_operator_expressMonitor_district_facilityType_";
            int labelled = config.districts().size() + 2 * DistrictLabels.MAX_OTHERS + 1;
            await("every district's window evaluated", "count(group by (district) (" + d + "kind_alertLevel)) >= "
                    + labelled, prometheus);
            await("a completed checkpoint", "flink_jobmanager_job_lastCheckpointCompletedTimestamp > 0", prometheus);
            await("the Kafka source's lag", "flink_taskmanager_job_task_operator_pendingRecords", prometheus);
            await("the recording rules", "express:district_alert_level:max and on () express:records_in:rate5m",
                    prometheus);
            Thread.sleep(3000); // a few more scrapes for rates over the last 4 s

            // Bounded cardinality: the configured districts, 50 others per subtask, and "other".
            assertThat(prometheus.labelValues("district", d + "backlog", start, now())).hasSize(labelled)
                    .contains("330482", "330402", DistrictLabels.OTHER);
            checkEveryJobMetricIsDocumented(prometheus, start);
            checkDashboard(prometheus, start);
            checkRules(prometheus);
        } finally {
            trickle.interrupt();
            trickle.join();
            job.cancel().get();
        }
    }

    /** Every metric of the job's own group that the scrape holds is listed in the monitoring docs. */
    private static void checkEveryJobMetricIsDocumented(PrometheusServer prometheus, long start) throws Exception {
        String prefix = "flink_taskmanager_job_task_operator_expressMonitor_";
        String docs = Files.readString(Path.of("src/site/markdown/monitoring.md"));
        List<String> names = prometheus.labelValues("__name__", "{__name__=~\"" + prefix + ".*\"}", start, now());
        assertThat(names).hasSizeGreaterThanOrEqualTo(25);
        for (String name : names) {
            assertThat(docs).as(name + " documented").contains("`" + name.substring(prefix.length()) + "`");
        }
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private static void checkDashboard(PrometheusServer prometheus, long start) throws Exception {
        GrafanaDashboard dashboard = GrafanaDashboard.load();
        long end = now();
        Map<String, String> all = new LinkedHashMap<>(Map.of("__rate_interval", RATE_INTERVAL, "__interval", "1s",
                "__range", (end - start) + "s"));
        Map<String, String> first = new LinkedHashMap<>(all);
        for (GrafanaDashboard.Variable v : dashboard.queryVariables()) {
            List<String> forAll = prometheus.labelValues(v.label(), GrafanaDashboard.substitute(v.match(), all), start,
                    end);
            List<String> forFirst = prometheus.labelValues(v.label(), GrafanaDashboard.substitute(v.match(), first),
                    start, end);
            assertThat(forAll).as("values of $" + v.name() + " (" + v.definition() + ")").isNotEmpty();
            assertThat(forFirst).as("values of $" + v.name() + " with the first of each before").isNotEmpty();
            boolean multi = !v.name().equals("job");
            all.put(v.name(), multi ? GrafanaDashboard.regexOf(forAll) : GrafanaDashboard.regexOf(forAll.subList(0, 1)));
            first.put(v.name(), GrafanaDashboard.regexOf(forFirst.subList(0, 1)));
        }
        assertThat(all.get("job")).isEqualTo(SCRAPE_JOB);
        for (Map<String, String> values : List.of(all, first)) {
            Map<String, Set<String>> legendsByPanel = new LinkedHashMap<>();
            for (GrafanaDashboard.Query q : dashboard.queries()) {
                String expr = GrafanaDashboard.substitute(q.expr(), values);
                String what = "'" + q.panel() + "' " + q.refId() + " with " + values + ": " + expr;
                JsonNode result = q.instant() ? instant(prometheus, expr) : prometheus.queryRange(expr, start, end, 1);
                if (result.isEmpty()) {
                    throw new AssertionError("no data for " + what + "\n" + scrapes(prometheus));
                }
                Set<String> legends = legendsByPanel.computeIfAbsent(q.panel(), k -> new HashSet<>());
                for (JsonNode series : result) {
                    String legend = legend(q.legend(), series.path("metric"));
                    assertThat(legends.add(legend)).as("legend '" + legend + "' appears twice in " + what).isTrue();
                }
            }
        }
    }

    /**
     * An instant query expected to return data, asked again for up to 5 s while it returns none: on a loaded machine
     * a scrape can overrun its 1 s timeout, and Prometheus then marks every series stale until the next scrape.
     */
    private static JsonNode instant(PrometheusServer prometheus, String expr) throws Exception {
        JsonNode result = prometheus.query(expr);
        for (int i = 0; i < 10 && result.isEmpty(); i++) {
            Thread.sleep(500);
            result = prometheus.query(expr);
        }
        return result;
    }

    /** How the scrapes went, for failure messages. */
    private static String scrapes(PrometheusServer prometheus) throws Exception {
        return "scrapes: up " + prometheus.queryRange("up", now() - 60, now(), 1) + "; durations "
                + prometheus.queryRange("scrape_duration_seconds", now() - 60, now(), 1);
    }

    /** A legend format filled with a series' labels, as Grafana does ({{label}}; an absent label gives nothing). */
    private static String legend(String format, JsonNode labels) {
        Matcher m = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}").matcher(format);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(labels.path(m.group(1)).asText()));
        }
        m.appendTail(b);
        return b.toString();
    }

    private static void checkRules(PrometheusServer prometheus) throws Exception {
        Set<String> expectedFalse = Set.of("ExpressMonitorDown", "ExpressMonitorJobNotRunning",
                "ExpressMonitorRestarting", "ExpressMonitorNoInput", "ExpressMonitorCheckpointTooOld",
                "ExpressMonitorKafkaLagGrowing", "ExpressMonitorCommitFailures");
        Set<String> expectedTrue = Set.of("ExpressMonitorDistrictRed");
        int rules = 0;
        for (JsonNode group : prometheus.get("/api/v1/rules").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                rules++;
                String name = rule.path("name").asText();
                String expr = rule.path("query").asText();
                assertThat(rule.path("health").asText()).as(name + " evaluated by Prometheus: "
                        + rule.path("lastError").asText()).isEqualTo("ok");
                JsonNode result = prometheus.query(expr); // throws unless it parses
                if (rule.path("type").asText().equals("recording")) {
                    assertThat(instant(prometheus, expr)).as("recording rule " + name + ": " + expr).isNotEmpty();
                    assertThat(instant(prometheus, name)).as("series recorded by " + name).isNotEmpty();
                    continue;
                }
                for (String selector : PromQl.selectors(expr)) {
                    assertThat(instant(prometheus, selector)).as("series " + selector + " of alert " + name)
                            .isNotEmpty();
                }
                if (expectedTrue.contains(name)) {
                    assertThat(instant(prometheus, expr)).as("alert " + name + " holds in this run: " + expr)
                            .isNotEmpty();
                }
                if (expectedFalse.contains(name)) {
                    assertThat(result).as("alert " + name + " is false in a healthy run: " + expr).isEmpty();
                }
            }
        }
        int inFiles = 0;
        for (Path f : PromtoolTest.ruleFiles()) {
            for (JsonNode group : YAML.readTree(f.toFile()).path("groups")) {
                inFiles += group.path("rules").size();
            }
        }
        assertThat(rules).as("rules loaded by Prometheus").isEqualTo(inFiles);
        assertThat(PromtoolTest.alertingRules().keySet()).containsAll(expectedFalse).containsAll(expectedTrue);
        JsonNode targets = prometheus.get("/api/v1/targets").path("activeTargets");
        assertThat(targets).hasSize(1);
        assertThat(targets.get(0).path("health").asText()).isEqualTo("up");
    }
}
