package com.expressmonitor.tools;

import com.expressmonitor.config.ConfigException;
import com.expressmonitor.event.ScanParser;
import com.expressmonitor.testing.KafkaTestBroker;
import com.expressmonitor.testing.StandardError;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Kafka tools of jobs/ against a real broker: topic creation, file replay and generated traffic. */
class KafkaToolsITCase {
    @RegisterExtension
    static final KafkaTestBroker.PerClass KAFKA = new KafkaTestBroker.PerClass();

    private static KafkaTestBroker kafka() {
        return KAFKA.broker();
    }

    private static String[] args(String... extra) {
        return concat(new String[] {"--kafka.bootstrap-servers", kafka().bootstrapServers()}, extra);
    }

    private static String[] concat(String[] first, String... then) {
        String[] all = java.util.Arrays.copyOf(first, first.length + then.length);
        System.arraycopy(then, 0, all, first.length, then.length);
        return all;
    }

    private static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** New topics reach the broker's metadata a moment after creation; a busy machine makes that moment longer. */
    private static Map<String, TopicDescription> describeWhenKnown(Admin admin, List<String> names) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return admin.describeTopics(names).allTopicNames().get();
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    @Test
    void createsTheFiveTopicsOnceAndLeavesExistingOnesAlone() throws Exception {
        String[] a = args("--kafka.topics.scan-events", "t.in", "--kafka.topics.district-metrics", "t.metrics",
                "--kafka.topics.alerts", "t.alerts", "--kafka.topics.dead-letter", "t.dead",
                "--kafka.topics.late-events", "t.late", "--partitions", "3");
        CreateTopics.main(a);
        CreateTopics.main(a); // again: nothing to do, no failure
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka().bootstrapServers()))) {
            Map<String, TopicDescription> topics = describeWhenKnown(admin,
                    List.of("t.in", "t.metrics", "t.alerts", "t.dead", "t.late"));
            assertThat(topics).hasSize(5);
            assertThat(topics.values()).allMatch(t -> t.partitions().size() == 3);
        }
    }

    @Test
    void replayWritesEveryNonBlankLineInOrderKeyedByWaybill(@TempDir Path tmp) throws Exception {
        kafka().createTopic("replay.in", 1);
        Path file = tmp.resolve("scans.jsonl");
        String valid1 = "{\"eventId\":\"e1\",\"waybillNo\":\"W1\",\"scanType\":\"ARRIVED\"}";
        String valid2 = "{\"eventId\":\"e2\",\"waybillNo\":\"W2\",\"scanType\":\"DEPARTED\"}";
        Files.write(file, (valid1 + "\n\n   \nnot json at all\r\n" + valid2 + "\r\n{\"waybillNo\":42}")
                .getBytes(StandardCharsets.UTF_8));
        ToolArgs a = ToolArgs.parse(args("--kafka.topics.scan-events", "replay.in"), Set.of("file"));
        assertThat(ReplayToKafka.replay(file, "replay.in", a)).isEqualTo(4);

        List<ConsumerRecord<byte[], byte[]>> records =
                kafka().readCommitted("replay.in", Duration.ofSeconds(30), r -> r.size() >= 4);
        assertThat(records).extracting(r -> text(r.value()))
                .containsExactly(valid1, "not json at all", valid2, "{\"waybillNo\":42}");
        assertThat(records).extracting(r -> text(r.key())).containsExactly("W1", null, "W2", null);
    }

    @Test
    void replayAtARateSpacesTheRecordsAndRefusesARateBelowOne(@TempDir Path tmp) throws Exception {
        kafka().createTopic("paced.in", 1);
        Path file = tmp.resolve("scans.jsonl");
        List<String> lines = List.of("{\"waybillNo\":\"W1\"}", "{\"waybillNo\":\"W2\"}", "{\"waybillNo\":\"W3\"}",
                "{\"waybillNo\":\"W4\"}", "{\"waybillNo\":\"W5\"}");
        Files.write(file, lines);
        ToolArgs a = ToolArgs.parse(args("--kafka.topics.scan-events", "paced.in", "--rate", "10"),
                Set.of("file", "rate"));
        long start = System.nanoTime();
        assertThat(ReplayToKafka.replay(file, "paced.in", a)).isEqualTo(5);
        // The fifth record is due 0.4 s after the first: the replay cannot have ended sooner.
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(400).toNanos());
        assertThat(kafka().readCommitted("paced.in", Duration.ofSeconds(30), r -> r.size() >= 5))
                .extracting(r -> text(r.value())).containsExactlyElementsOf(lines);

        ToolArgs zero = ToolArgs.parse(args("--kafka.topics.scan-events", "paced.in", "--rate", "0"),
                Set.of("file", "rate"));
        assertThatThrownBy(() -> ReplayToKafka.replay(file, "paced.in", zero))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'rate'")
                .hasMessageContaining("must be at least 1 record per second");
    }

    @Test
    void generatorWritesRealisticTrafficKeyedByWaybillRightAfterTheTopicsAreCreated() throws Exception {
        // As a user types it: create-topics, then at once the generator. A batch written while a new partition has
        // no serving leader yet could be lost (KAFKA-15591); many partitions make that moment likely.
        String[] topics = {"--kafka.topics.scan-events", "generated.in", "--kafka.topics.district-metrics",
            "generated.metrics", "--kafka.topics.alerts", "generated.alerts", "--kafka.topics.dead-letter",
            "generated.dead", "--kafka.topics.late-events", "generated.late", "--kafka.topics.alert-rules",
            "generated.rules", "--kafka.topics.alert-rules-results", "generated.rules-results"};
        String[] create = args(concat(topics, "--partitions", "8"));
        assertThat(ToolArgs.status("create-topics", () -> CreateTopics.main(create))).isZero();
        String[] generate = args(concat(topics, "--rate", "100000", "--parcels", "400", "--day", "2026-11-11",
                "--max-events", "500"));
        assertThat(ToolArgs.status("generate-to-kafka", () -> GenerateToKafka.generate(generate))).isZero();

        List<ConsumerRecord<byte[], byte[]>> records =
                kafka().readCommitted("generated.in", Duration.ofSeconds(30), r -> r.size() >= 500);
        assertThat(records).hasSize(500);
        ScanParser parser = new ScanParser(Map.of(), Duration.ofDays(10_000).toMillis());
        long valid = records.stream().filter(r -> parser.parse(r.value(), "kafka:generated.in/0/", 0).isValid()).count();
        assertThat(valid).isGreaterThan(450); // a small share is garbled on purpose
        assertThat(records).filteredOn(r -> parser.parse(r.value(), "p", 0).isValid())
                .allMatch(r -> r.key() != null
                        && parser.parse(r.value(), "p", 0).event.waybillNo().equals(text(r.key())));
    }

    @Test
    void toolsWriteOnlyIntoTheScanTopicAndNeedNoOther(@TempDir Path tmp) throws Exception {
        kafka().createTopic("alone.in", 1);
        Path file = tmp.resolve("scans.jsonl");
        Files.write(file, List.of("{\"waybillNo\":\"W1\"}"));
        // No rules topic on this cluster by that name: the job reading scans needs one, a tool writing them does not.
        String[] a = args("--kafka.topics.scan-events", "alone.in", "--kafka.topics.alert-rules", "alone.rules",
                "--file", file.toString());
        assertThat(ToolArgs.status("replay-to-kafka", () -> ReplayToKafka.replayFile(a))).isZero();
        assertThat(kafka().readCommitted("alone.in", Duration.ofSeconds(30), r -> r.size() >= 1))
                .extracting(r -> text(r.value())).containsExactly("{\"waybillNo\":\"W1\"}");
    }

    @Test
    void aRecordTheBrokerRefusesFailsTheReplayNamingHowManyWereLost(@TempDir Path tmp) throws Exception {
        kafka().createTopic("small.in", 1, Map.of("max.message.bytes", "10000"));
        // Larger than the topic allows even compressed (random text), and than a producer batch: a batch of its own.
        java.util.Random random = new java.util.Random(11);
        StringBuilder big = new StringBuilder("{\"waybillNo\":\"W2\",\"note\":\"");
        while (big.length() < 30_000) {
            big.append(Long.toString(random.nextLong() & Long.MAX_VALUE, 36));
        }
        big.append("\"}");
        Path file = tmp.resolve("scans.jsonl");
        Files.write(file, List.of("{\"waybillNo\":\"W1\"}", big.toString(), "{\"waybillNo\":\"W3\"}"));
        String[] a = args("--kafka.topics.scan-events", "small.in", "--file", file.toString());

        StandardError.Captured<Integer> run =
                StandardError.capture(() -> ToolArgs.status("replay-to-kafka", () -> ReplayToKafka.replayFile(a)));
        assertThat(run.value()).isEqualTo(1);
        List<String> lines = run.err().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("replay-to-kafka: records are not being written: RecordTooLargeException");
        assertThat(lines.get(1)).startsWith("replay-to-kafka: 1 of 3 records were not written to small.in "
                + "(first error: RecordTooLargeException");
        assertThat(kafka().readCommitted("small.in", Duration.ofSeconds(30), r -> r.size() >= 2))
                .extracting(r -> text(r.value())).containsExactly("{\"waybillNo\":\"W1\"}", "{\"waybillNo\":\"W3\"}");
    }
}
