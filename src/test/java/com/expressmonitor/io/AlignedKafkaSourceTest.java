package com.expressmonitor.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.expressmonitor.testing.KafkaTestBroker;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.metrics.KafkaSourceReaderMetrics;
import org.apache.flink.connector.kafka.source.reader.KafkaPartitionSplitReader;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The scans' Kafka source in a bounded run: a partition that reached its end, then chosen by watermark alignment to be
 * paused or resumed, fails the connector's split reader and is passed over by ours, which still pauses and resumes
 * the partitions it holds; and the reader the source creates is built on ours (the race brought about on purpose).
 */
class AlignedKafkaSourceTest {
    @RegisterExtension
    static final KafkaTestBroker.PerClass KAFKA = new KafkaTestBroker.PerClass();

    @Test
    void readsTheConsumerPropertiesTheSourceWasBuiltWith() {
        Properties props = AlignedKafkaSource.consumerProperties(source("props"));
        assertThat(props.getProperty("bootstrap.servers")).isEqualTo(KAFKA.broker().bootstrapServers());
        assertThat(props.getProperty("group.id")).isEqualTo("aligned-test");
        // Set by the connector's builder, not by us:
        assertThat(props.getProperty("value.deserializer"))
                .isEqualTo("org.apache.kafka.common.serialization.ByteArrayDeserializer");
        assertThat(props.getProperty("client.id.prefix")).isEqualTo("aligned-test");
        assertThat(props.getProperty("partition.discovery.interval.ms")).isEqualTo("-1"); // bounded
    }

    @Test
    void aPartitionThatReachedItsEndIsPassedOverWhenPausedOrResumed() throws Exception {
        String topic = "ends";
        KAFKA.broker().createTopic(topic, 2);
        produce(topic, 0, "a", "b");
        produce(topic, 1, "c", "d");
        // Partition 0 ends at offset 2 (what it holds); partition 1 reads on to offset 100.
        KafkaPartitionSplit ended = new KafkaPartitionSplit(new TopicPartition(topic, 0), 0, 2);
        KafkaPartitionSplit reading = new KafkaPartitionSplit(new TopicPartition(topic, 1), 0, 100);
        Properties props = AlignedKafkaSource.consumerProperties(source(topic));

        try (KafkaPartitionSplitReader connector = new KafkaPartitionSplitReader(props, context(), metrics())) {
            readUntilEnded(connector, ended, reading);
            // An alignment check chose the ended partition before it ended: the connector's reader fails.
            assertThatThrownBy(() -> connector.pauseOrResumeSplits(List.of(ended), List.of()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage(AlignedKafkaSource.NOT_ASSIGNED + " " + topic + "-0");
        }

        try (var ours = new AlignedKafkaSource.EndSafeSplitReader(props, context(), metrics())) {
            assertThat(readUntilEnded(ours, ended, reading)).containsExactly("a", "b", "c", "d");
            ours.pauseOrResumeSplits(List.of(ended), List.of());
            ours.pauseOrResumeSplits(List.of(reading), List.of());
            // Resumed after the ended one in the same call: the consumer alone stops at the ended one, and the
            // partition still reading would stay paused.
            ours.pauseOrResumeSplits(List.of(), List.of(ended, reading));
            produce(topic, 1, "e");
            assertThat(readUntil(ours, "e")).containsExactly("e");
        }
    }

    /**
     * The race itself, through the whole reader each source creates: the fetch that ends partition 0 is held (in the
     * consumer, by {@link HoldEndingFetch}) while the task asks to pause that partition, which the fetcher still
     * counts as assigned; the pause then reaches the split reader after the fetch has unassigned it. The connector's
     * reader fails the run; the one {@link AlignedKafkaSource#createReader} assembles reads every record.
     */
    @Test
    void theReaderTheSourceCreatesSurvivesAPauseThatArrivesAfterThePartitionEnded() throws Exception {
        KafkaRecordDeserializationSchema<String> values =
                KafkaRecordDeserializationSchema.valueOnly(new SimpleStringSchema());
        KafkaSource<String> connector = heldSource("race-connector", values);
        assertThatThrownBy(() -> readThroughThePauseRace(connector.createReader(context()), "race-connector"))
                .rootCause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(AlignedKafkaSource.NOT_ASSIGNED + " race-connector-0");

        AlignedKafkaSource<String> ours = new AlignedKafkaSource<>(heldSource("race-ours", values), values);
        assertThat(readThroughThePauseRace(ours.createReader(context()), "race-ours"))
                .containsExactly("a", "b", "c", "d");
    }

    private static KafkaSource<String> heldSource(String topic, KafkaRecordDeserializationSchema<String> values) {
        return builder(topic)
                .setDeserializer(values)
                .setProperty(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, HoldEndingFetch.class.getName())
                .build();
    }

    /** Reads partitions 0 (ending at offset 2) and 1 (reading on), pausing 0 while its last fetch is held. */
    private static List<String> readThroughThePauseRace(SourceReader<String, KafkaPartitionSplit> reader, String topic)
            throws Exception {
        KAFKA.broker().createTopic(topic, 2);
        produce(topic, 0, "a", "b");
        produce(topic, 1, "c", "d");
        HoldEndingFetch.fetched = new CountDownLatch(1);
        HoldEndingFetch.released = new CountDownLatch(1);
        try (reader) {
            try {
                reader.start();
                reader.addSplits(List.of(new KafkaPartitionSplit(new TopicPartition(topic, 0), 0, 2),
                        new KafkaPartitionSplit(new TopicPartition(topic, 1), 0, 100)));
                if (!HoldEndingFetch.fetched.await(30, TimeUnit.SECONDS)) {
                    throw new TimeoutException("partition 0's last record was never fetched");
                }
                reader.pauseOrResumeSplits(List.of(topic + "-0"), List.of()); // as watermark alignment does
            } finally {
                // Before the reader closes, even on failure: its fetcher would otherwise wait in the held fetch.
                HoldEndingFetch.released.countDown();
            }
            Values out = new Values();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (out.values.size() < 4) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("read only " + out.values);
                }
                if (reader.pollNext(out) == InputStatus.NOTHING_AVAILABLE) {
                    try {
                        reader.isAvailable().get(100, TimeUnit.MILLISECONDS);
                    } catch (TimeoutException e) {
                        // poll again: an error of the fetcher shows at the next poll
                    }
                }
            }
            out.values.sort(null);
            return out.values;
        }
    }

    /**
     * A consumer interceptor (it runs inside the consumer's poll, on the fetcher's thread) that holds the fetch
     * returning partition 0's record at offset 1, its last, until the test has sent its pause.
     */
    public static final class HoldEndingFetch implements ConsumerInterceptor<byte[], byte[]> {
        static volatile CountDownLatch fetched = new CountDownLatch(0);
        static volatile CountDownLatch released = new CountDownLatch(0);

        @Override
        public ConsumerRecords<byte[], byte[]> onConsume(ConsumerRecords<byte[], byte[]> records) {
            for (ConsumerRecord<byte[], byte[]> r : records) {
                if (r.partition() == 0 && r.offset() == 1) {
                    fetched.countDown();
                    try {
                        released.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            return records;
        }

        @Override
        public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {}

        @Override
        public void close() {}

        @Override
        public void configure(Map<String, ?> configs) {}
    }

    /** The records a reader emits, whatever their split. */
    private static final class Values implements ReaderOutput<String> {
        final List<String> values = new ArrayList<>();

        @Override
        public void collect(String value) {
            values.add(value);
        }

        @Override
        public void collect(String value, long timestamp) {
            values.add(value);
        }

        @Override
        public void emitWatermark(Watermark watermark) {}

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}

        @Override
        public SourceOutput<String> createOutputForSplit(String splitId) {
            return this;
        }

        @Override
        public void releaseOutputForSplit(String splitId) {}
    }

    private static KafkaSource<String> source(String topic) {
        return builder(topic).setValueOnlyDeserializer(new SimpleStringSchema()).build();
    }

    /** A bounded source of {@code topic} from its earliest offsets, as the job builds it with bounded: true. */
    private static KafkaSourceBuilder<String> builder(String topic) {
        return KafkaSource.<String>builder()
                .setBootstrapServers(KAFKA.broker().bootstrapServers())
                .setGroupId("aligned-test")
                .setTopics(topic)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setBounded(OffsetsInitializer.latest());
    }

    /** Reads both splits until the first has ended (its id among the finished ones); the values read, in order. */
    private static List<String> readUntilEnded(
            SplitReader<ConsumerRecord<byte[], byte[]>, KafkaPartitionSplit> reader,
            KafkaPartitionSplit ended, KafkaPartitionSplit reading) throws Exception {
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(ended, reading)));
        List<String> values = new ArrayList<>();
        Set<String> finished = new HashSet<>();
        while (!finished.contains(ended.splitId()) || values.size() < 4) {
            read(reader, values, finished);
        }
        values.sort(null); // the partitions' records interleave as the consumer fetches them
        return values;
    }

    private static List<String> readUntil(
            SplitReader<ConsumerRecord<byte[], byte[]>, KafkaPartitionSplit> reader, String last) throws Exception {
        List<String> values = new ArrayList<>();
        for (int polls = 0; polls < 3 && !values.contains(last); polls++) {
            read(reader, values, new HashSet<>());
        }
        return values;
    }

    private static void read(SplitReader<ConsumerRecord<byte[], byte[]>, KafkaPartitionSplit> reader,
            List<String> values, Set<String> finished) throws Exception {
        RecordsWithSplitIds<ConsumerRecord<byte[], byte[]>> records = reader.fetch();
        while (records.nextSplit() != null) {
            for (ConsumerRecord<byte[], byte[]> r; (r = records.nextRecordFromSplit()) != null; ) {
                values.add(new String(r.value(), StandardCharsets.UTF_8));
            }
        }
        finished.addAll(records.finishedSplits());
        records.recycle();
    }

    private static void produce(String topic, int partition, String... values) throws Exception {
        List<KafkaTestBroker.Out> out = new ArrayList<>();
        for (String v : values) {
            out.add(new KafkaTestBroker.Out(partition, null, v.getBytes(StandardCharsets.UTF_8)));
        }
        KAFKA.broker().produce(topic, out);
    }

    private static KafkaSourceReaderMetrics metrics() {
        return new KafkaSourceReaderMetrics(UnregisteredMetricsGroup.createSourceReaderMetricGroup());
    }

    private static SourceReaderContext context() {
        return new SourceReaderContext() {
            @Override
            public SourceReaderMetricGroup metricGroup() {
                return UnregisteredMetricsGroup.createSourceReaderMetricGroup();
            }

            @Override
            public Configuration getConfiguration() {
                return new Configuration();
            }

            @Override
            public String getLocalHostName() {
                return "localhost";
            }

            @Override
            public int getIndexOfSubtask() {
                return 0;
            }

            @Override
            public void sendSplitRequest() {}

            @Override
            public void sendSourceEventToCoordinator(SourceEvent event) {}

            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
                return SimpleUserCodeClassLoader.create(AlignedKafkaSourceTest.class.getClassLoader());
            }
        };
    }
}
