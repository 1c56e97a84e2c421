package com.expressmonitor.job;

import com.expressmonitor.config.ConfigLoader;
import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.event.DeadLetter;
import com.expressmonitor.event.RejectReason;
import com.expressmonitor.event.ScanParser;
import com.expressmonitor.io.KafkaIo;
import com.expressmonitor.io.OutputJson;
import com.expressmonitor.testing.KafkaTestBroker;
import com.expressmonitor.testing.TestCluster;
import com.expressmonitor.testing.PipelineRun;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The monitor against a real Kafka broker (KRaft, in this JVM): {@code --source kafka} and {@code --sink kafka}
 * give the same results as a file replay, exactly once; idle partitions do not hold windows back; bad records
 * go to the dead-letter topic with their coordinates and headers while the job runs on.
 */
class KafkaPipelineITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = TestCluster.twoSlots();

    @RegisterExtension
    static final KafkaTestBroker.PerClass KAFKA = new KafkaTestBroker.PerClass();

    private static KafkaTestBroker kafka() {
        return KAFKA.broker();
    }

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static String scan(String eventId, String waybill, String type, String facility, String facilityType,
            String district, String time) {
        return "{\"eventId\":\"" + eventId + "\",\"waybillNo\":\"" + waybill + "\",\"scanType\":\"" + type
                + "\",\"facilityId\":\"" + facility + "\",\"facilityType\":\"" + facilityType + "\",\"districtCode\":\""
                + district + "\",\"carrier\":\"ZTO\",\"eventTime\":\"2026-11-11T" + time + "+08:00\"}";
    }

    /** The hand-made feed: valid scans, out of order, a duplicate, a late one and bad records (one not UTF-8). */
    private static List<byte[]> feed() {
        List<String> lines = new ArrayList<>(List.of(
                scan("e1", "ZT1", "COLLECTED", "OUT-PH1", "STATION", "330482", "09:00:00"),
                scan("e3", "ZT2", "ARRIVED", "SC-PH", "SORTING_CENTER", "330482", "09:03:00"),
                scan("e4", "ZT3", "ARRIVED", "ST-NH1", "STATION", "330402", "09:06:00"),
                scan("e2", "ZT1", "ARRIVED", "SC-PH", "SORTING_CENTER", "330482", "09:12:00"),
                scan("e5", "ZT2", "DEPARTED", "SC-PH", "SORTING_CENTER", "330482", "09:11:00"), // out of order
                scan("e2", "ZT1", "ARRIVED", "SC-PH", "SORTING_CENTER", "330482", "09:12:00"), // duplicate
                scan("e6", "ZT4", "COLLECTED", "ST-NH1", "STATION", "330402", "09:01:00"), // late
                "{\"eventId\":",
                "",
                "{\"eventId\":\"e7\",\"waybillNo\":\"ZT5\",\"scanType\":\"ARRIVED\",\"eventTime\":1794365400000}",
                scan("e8", "ZT5", "ARRIVED", "SC-PH", "SORTING_CENTER", "33048", "09:22:00"),
                scan("e9", "ZT6", "ARRIVED", "SC-PH", "SORTING_CENTER", "330482", "09:23:00"),
                scan("e10", "ZT7", "ARRIVED", "SC-PH", "SORTING_CENTER", "330482", "09:24:00"),
                scan("e11", "ZT3", "DELIVERED", "ST-NH1", "STATION", "330402", "09:31:00"),
                "{\"eventId\":\"e12\",\"waybillNo\":\"ZT8\",\"scanType\":\"ARRIVED\",\"facilityId\":\"NOWHERE\","
                        + "\"eventTime\":\"2026-11-11T09:32:00+08:00\"}",
                scan("e13", "ZT1", "DEPARTED", "SC-PH", "SORTING_CENTER", "330482", "09:40:00"),
                scan("e14", "ZT2", "EXCEPTION", "ST-NH1", "STATION", "330402", "09:41:00"),
                scan("e15", "ZT6", "DEPARTED", "SC-PH", "SORTING_CENTER", "330482", "09:55:00"),
                scan("e16", "ZT9", "ARRIVED", "SC-PH", "SORTING_CENTER", "330482", "10:30:00")));
        List<byte[]> out = lines.stream().map(l -> l.getBytes(StandardCharsets.UTF_8))
                .collect(Collectors.toCollection(ArrayList::new));
        out.add(11, new byte[] {'{', '"', (byte) 0xc3, (byte) 0x28, '"', '}'}); // not UTF-8
        return out;
    }

    private static Map<String, String> overrides(String prefix, boolean bounded) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("kafka.bootstrap-servers", kafka().bootstrapServers());
        o.put("kafka.group-id", prefix + "-monitor");
        o.put("kafka.starting-offsets", "committed");
        o.put("kafka.bounded", String.valueOf(bounded));
        o.put("kafka.topics.scan-events", prefix + ".scan-events");
        o.put("kafka.topics.district-metrics", prefix + ".district-metrics");
        o.put("kafka.topics.alerts", prefix + ".alerts");
        o.put("kafka.topics.dead-letter", prefix + ".dead-letter");
        o.put("kafka.topics.late-events", prefix + ".late-events");
        // low thresholds, so that the feed raises and resolves alerts
        o.put("alerts.defaults.SORTING_CENTER.backlog.yellow", "2");
        o.put("alerts.defaults.SORTING_CENTER.backlog.red", "3");
        o.put("alerts.defaults.STATION.backlog.yellow", "1");
        o.put("alerts.defaults.STATION.backlog.red", "5");
        return o;
    }

    private static void createTopics(MonitorConfig config, int inputPartitions) throws Exception {
        kafka().createTopic(config.kafka().scanEventsTopic(), inputPartitions);
        kafka().createTopic(config.kafka().districtMetricsTopic(), 2);
        kafka().createTopic(config.kafka().alertsTopic(), 1);
        kafka().createTopic(config.kafka().deadLetterTopic(), 1);
        kafka().createTopic(config.kafka().lateEventsTopic(), 1);
    }

    private static StreamExecutionEnvironment kafkaJob(MonitorConfig config) {
        Configuration flink = new Configuration();
        MonitorPipeline.flinkDefaults().forEach(flink::setString);
        flink.setString("execution.checkpointing.interval", "500ms");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        env.setParallelism(2);
        ScanParser parser = new ScanParser(config.facilities(), config.maxFutureMillis(), () -> PipelineRun.NOW);
        MonitorPipeline.build(env, config,
                new ScanInput(KafkaIo.source(config, parser), true, "Kafka", "source-kafka"),
                KafkaIo.outputs(config, new OutputJson(config.zoneOffsetSeconds())));
        return env;
    }

    private static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).sorted().toList();
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        Header h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** A dead-letter record read back from Kafka, as the JSON line the dir: sink writes for it. */
    private static String deadLetterJson(OutputJson json, ConsumerRecord<byte[], byte[]> r) {
        String source = "kafka:" + header(r, "dlq.source.topic") + "/" + header(r, "dlq.source.partition") + "/"
                + header(r, "dlq.source.offset");
        return new String(json.deadLetter(new DeadLetter(RejectReason.valueOf(header(r, "dlq.reason")),
                header(r, "dlq.detail"), r.value(), source)), StandardCharsets.UTF_8);
    }

    @Test
    void replayThroughKafkaGivesTheFileReplaysOutputsExactlyOnce(@TempDir Path tmp) throws Exception {
        MonitorConfig config = ConfigLoader.load(null, overrides("replay", true));
        createTopics(config, 1);
        List<byte[]> feed = feed();

        // The file replay of the same feed is the reference.
        Path file = tmp.resolve("feed.jsonl");
        Files.write(file, joinLines(feed));
        PipelineRun.Result expected = PipelineRun.replay(config, file.toString(), 2);
        assertThat(expected.metrics()).hasSizeGreaterThan(4);
        assertThat(expected.alerts()).isNotEmpty();
        assertThat(expected.deadLetters()).hasSize(5);
        assertThat(expected.lateEvents()).hasSize(1);
        assertThat(expected.summary().duplicates()).isEqualTo(1);

        // Into Kafka as the replay tool writes it: blank lines skipped, one partition, keyed by waybill.
        List<KafkaTestBroker.Out> records = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        for (int i = 0; i < feed.size(); i++) {
            if (feed.get(i).length > 0) {
                records.add(new KafkaTestBroker.Out(0, null, feed.get(i), new RecordHeader("trace", ("line-" + (i + 1))
                        .getBytes(StandardCharsets.UTF_8))));
                lineNumbers.add(i + 1);
            }
        }
        List<Long> offsets = kafka().produce(config.kafka().scanEventsTopic(), records);
        Map<String, String> fileToKafka = new HashMap<>();
        for (int i = 0; i < offsets.size(); i++) {
            fileToKafka.put("file:feed.jsonl:" + lineNumbers.get(i),
                    "kafka:" + config.kafka().scanEventsTopic() + "/0/" + offsets.get(i));
        }

        kafkaJob(config).execute("kafka replay"); // bounded: ends after the offsets found at start

        OutputJson json = new OutputJson(config.zoneOffsetSeconds());
        KafkaSettingsView k = new KafkaSettingsView(config);
        List<String> metrics = values(kafka().readCommitted(k.metrics, WAIT, r -> r.size() >= expected.metrics().size()));
        List<String> alerts = values(kafka().readCommitted(k.alerts, WAIT, r -> r.size() >= expected.alerts().size()));
        List<ConsumerRecord<byte[], byte[]>> dead =
                kafka().readCommitted(k.deadLetter, WAIT, r -> r.size() >= expected.deadLetters().size());
        List<String> late = values(kafka().readCommitted(k.late, WAIT, r -> r.size() >= expected.lateEvents().size()));

        // Exactly the same records, each exactly once (a duplicate or a lost record would change the lists).
        assertThat(metrics).containsExactlyElementsOf(expected.metrics());
        assertThat(alerts).containsExactlyElementsOf(expected.alerts());
        assertThat(late).containsExactlyElementsOf(renameSources(expected.lateEvents(), fileToKafka));
        assertThat(dead.stream().map(r -> deadLetterJson(json, r)).sorted().toList())
                .containsExactlyElementsOf(renameSources(expected.deadLetters(), fileToKafka).stream().sorted().toList());

        // Dead letters keep the original bytes and headers, and say where they came from.
        for (ConsumerRecord<byte[], byte[]> r : dead) {
            long offset = Long.parseLong(header(r, "dlq.source.offset"));
            int index = offsets.indexOf(offset);
            assertThat(header(r, "dlq.source.topic")).isEqualTo(config.kafka().scanEventsTopic());
            assertThat(header(r, "dlq.source.partition")).isEqualTo("0");
            assertThat(r.value()).isEqualTo(records.get(index).value());
            assertThat(header(r, "trace")).isEqualTo("line-" + lineNumbers.get(index));
            assertThat(header(r, "dlq.detail")).endsWith("(kafka:" + config.kafka().scanEventsTopic() + "/0/" + offset + ")");
        }
    }

    @Test
    void anEmptyPartitionDoesNotHoldWindowsBackOnceIdle() throws Exception {
        Map<String, String> o = overrides("idle", false);
        o.put("watermark.idleness", "1s");
        MonitorConfig config = ConfigLoader.load(null, o);
        createTopics(config, 3); // partition 2 stays empty
        List<KafkaTestBroker.Out> records = new ArrayList<>();
        records.add(out(0, scan("a1", "P1", "ARRIVED", "SC-PH", "SORTING_CENTER", "330482", "08:01:00")));
        records.add(out(1, scan("b1", "P2", "ARRIVED", "ST-NH1", "STATION", "330402", "08:02:00")));
        records.add(out(0, scan("a2", "P1", "DEPARTED", "SC-PH", "SORTING_CENTER", "330482", "08:12:00")));
        records.add(out(1, scan("b2", "P2", "DELIVERED", "ST-NH1", "STATION", "330402", "08:13:00")));
        // both partitions move on to 08:30, so every window up to [08:25, 08:30) may close
        records.add(out(0, scan("a3", "P3", "ARRIVED", "SC-PH", "SORTING_CENTER", "330482", "08:33:00")));
        records.add(out(1, scan("b3", "P4", "ARRIVED", "ST-NH1", "STATION", "330402", "08:33:00")));
        kafka().produce(config.kafka().scanEventsTopic(), records);

        JobClient job = kafkaJob(config).executeAsync("kafka idle partition");
        try {
            List<String> metrics = values(kafka().readCommitted(config.kafka().districtMetricsTopic(), WAIT,
                    r -> r.size() >= 4));
            assertThat(metrics).hasSize(4);
            assertThat(metrics).anyMatch(m -> m.contains("\"district\":\"330482\"") && m.contains("\"arrivals\":1")
                    && m.contains("\"windowStart\":\"2026-11-11T08:00:00+08:00\""));
            assertThat(metrics).anyMatch(m -> m.contains("\"district\":\"330482\"") && m.contains("\"departures\":1")
                    && m.contains("\"windowStart\":\"2026-11-11T08:10:00+08:00\""));
            assertThat(metrics).anyMatch(m -> m.contains("\"district\":\"330402\"") && m.contains("\"deliveries\":1")
                    && m.contains("\"windowStart\":\"2026-11-11T08:10:00+08:00\""));
            // the 08:30 window is still open: the partitions have not passed it
            assertThat(metrics).noneMatch(m -> m.contains("\"windowStart\":\"2026-11-11T08:30:00+08:00\""));
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void badRecordsGoToDeadLettersWithTheirCoordinatesAndTheJobRunsOn() throws Exception {
        MonitorConfig config = ConfigLoader.load(null, overrides("bad", false));
        createTopics(config, 2);
        List<KafkaTestBroker.Out> records = new ArrayList<>();
        records.add(out(0, scan("c1", "Q1", "ARRIVED", "SC-PH", "SORTING_CENTER", "330482", "10:01:00")));
        records.add(new KafkaTestBroker.Out(1, "Q2".getBytes(StandardCharsets.UTF_8), null,
                new RecordHeader("producer", "scanner-7".getBytes(StandardCharsets.UTF_8)))); // tombstone
        records.add(new KafkaTestBroker.Out(1, null, "not json".getBytes(StandardCharsets.UTF_8),
                new RecordHeader("producer", "scanner-8".getBytes(StandardCharsets.UTF_8))));
        records.add(out(0, "{\"eventId\":\"c2\",\"waybillNo\":\"Q3\",\"scanType\":\"LOST\",\"facilityId\":\"SC-PH\","
                + "\"eventTime\":\"2026-11-11T10:02:00+08:00\"}"));
        records.add(out(1, scan("c3", "Q4", "ARRIVED", "SC-PH", "SORTING_CENTER", "330482", "10:03:00")));
        // after the bad ones: time moves on past the first window on both partitions
        records.add(out(0, scan("c4", "Q5", "ARRIVED", "SC-PH", "SORTING_CENTER", "330482", "10:20:00")));
        records.add(out(1, scan("c5", "Q6", "ARRIVED", "SC-PH", "SORTING_CENTER", "330482", "10:20:00")));
        List<Long> offsets = kafka().produce(config.kafka().scanEventsTopic(), records);

        JobClient job = kafkaJob(config).executeAsync("kafka bad records");
        try {
            List<ConsumerRecord<byte[], byte[]>> dead = kafka().readCommitted(config.kafka().deadLetterTopic(), WAIT,
                    r -> r.size() >= 3);
            assertThat(dead).hasSize(3);
            String topic = config.kafka().scanEventsTopic();
            Map<String, ConsumerRecord<byte[], byte[]>> byOffset = dead.stream().collect(Collectors.toMap(
                    r -> header(r, "dlq.source.partition") + "/" + header(r, "dlq.source.offset"), r -> r));
            assertThat(byOffset).containsOnlyKeys("1/" + offsets.get(1), "1/" + offsets.get(2), "0/" + offsets.get(3));

            ConsumerRecord<byte[], byte[]> tombstone = byOffset.get("1/" + offsets.get(1));
            assertThat(header(tombstone, "dlq.reason")).isEqualTo("MALFORMED_JSON");
            assertThat(header(tombstone, "dlq.source.topic")).isEqualTo(topic);
            assertThat(header(tombstone, "producer")).isEqualTo("scanner-7");
            assertThat(header(tombstone, "dlq.detail")).contains("kafka:" + topic + "/1/" + offsets.get(1));

            ConsumerRecord<byte[], byte[]> notJson = byOffset.get("1/" + offsets.get(2));
            assertThat(notJson.value()).isEqualTo("not json".getBytes(StandardCharsets.UTF_8));
            assertThat(header(notJson, "producer")).isEqualTo("scanner-8");
            assertThat(header(notJson, "dlq.reason")).isEqualTo("MALFORMED_JSON");

            ConsumerRecord<byte[], byte[]> badType = byOffset.get("0/" + offsets.get(3));
            assertThat(header(badType, "dlq.reason")).isEqualTo("INVALID_FIELD");
            assertThat(header(badType, "dlq.detail")).contains("scanType").endsWith("(kafka:" + topic + "/0/" + offsets.get(3) + ")");

            // The job kept going: the window after the bad records closes with the good ones counted.
            List<String> metrics = values(kafka().readCommitted(config.kafka().districtMetricsTopic(), WAIT,
                    r -> !r.isEmpty()));
            assertThat(metrics).containsExactly("{\"district\":\"330482\",\"districtName\":\"平湖市\","
                    + "\"facilityType\":\"SORTING_CENTER\",\"windowStart\":\"2026-11-11T10:00:00+08:00\","
                    + "\"windowEnd\":\"2026-11-11T10:05:00+08:00\",\"arrivals\":2,\"departures\":0,\"deliveries\":0,"
                    + "\"exceptions\":0,\"backlog\":2,\"stuck\":0,\"season\":\"DOUBLE_11\"}");
            assertThat(job.getJobStatus().get().isGloballyTerminalState()).isFalse();
        } finally {
            job.cancel().get();
        }
    }

    private static KafkaTestBroker.Out out(int partition, String value) {
        return new KafkaTestBroker.Out(partition, null, value.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] joinLines(List<byte[]> lines) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (byte[] l : lines) {
            b.writeBytes(l);
            b.write('\n');
        }
        return b.toByteArray();
    }

    /** The file sources of the reference run as the Kafka coordinates the same records got. */
    private static List<String> renameSources(List<String> lines, Map<String, String> fileToKafka) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            for (Map.Entry<String, String> e : fileToKafka.entrySet()) {
                l = l.replace("(" + e.getKey() + ")", "(" + e.getValue() + ")")
                        .replace("\"" + e.getKey() + "\"", "\"" + e.getValue() + "\"");
            }
            out.add(l);
        }
        return out.stream().sorted().toList();
    }

    /** The output topic names of a configuration. */
    private record KafkaSettingsView(String metrics, String alerts, String deadLetter, String late) {
        KafkaSettingsView(MonitorConfig c) {
            this(c.kafka().districtMetricsTopic(), c.kafka().alertsTopic(), c.kafka().deadLetterTopic(),
                    c.kafka().lateEventsTopic());
        }
    }
}
