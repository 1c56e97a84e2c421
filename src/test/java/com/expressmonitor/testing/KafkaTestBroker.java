package com.expressmonitor.testing;

import com.expressmonitor.io.KafkaPreflight;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;

/** A real single-node Kafka (KRaft, broker and controller combined) in this JVM, for one test class. */
public final class KafkaTestBroker implements AutoCloseable {
    private final KafkaClusterTestKit cluster;

    private KafkaTestBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /** One broker for a test class: {@code @RegisterExtension static final KafkaTestBroker.PerClass KAFKA = ...}. */
    public static final class PerClass implements BeforeAllCallback, AfterAllCallback {
        private KafkaTestBroker broker;

        public KafkaTestBroker broker() {
            return broker;
        }

        @Override
        public void beforeAll(ExtensionContext context) throws Exception {
            broker = start();
        }

        @Override
        public void afterAll(ExtensionContext context) throws Exception {
            if (broker != null) {
                broker.close();
            }
        }
    }

    public static KafkaTestBroker start() throws Exception {
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("log.retention.ms", "-1") // inputs written by tests carry event times from the past
                .setConfigProp("num.partitions", "1")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        return new KafkaTestBroker(cluster);
    }

    /** Shuts the broker down and starts it again on the same port, as a broker restart in production would. */
    public void restart(Duration down) throws Exception {
        var broker = cluster.brokers().values().iterator().next();
        broker.shutdown();
        broker.awaitShutdown();
        Thread.sleep(down.toMillis());
        broker.startup();
        cluster.waitForReadyBrokers();
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    public void createTopic(String name, int partitions) throws Exception {
        createTopic(name, partitions, Map.of());
    }

    /** A topic with topic-level settings, e.g. {@code max.message.bytes}. */
    public void createTopic(String name, int partitions, Map<String, String> configs) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs))).all().get();
            // As the tools do: writing before the partitions are served can lose a batch of an idempotent producer.
            KafkaPreflight.awaitServed(admin, List.of(name), Duration.ofSeconds(60));
        }
    }

    /** One record to write: partition, key, value and headers. */
    public record Out(int partition, byte[] key, byte[] value, Header... headers) {}

    /** Writes the records in order and returns their offsets. */
    public List<Long> produce(String topic, List<Out> records) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers());
        p.put("acks", "all");
        List<Long> offsets = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Out r : records) {
                RecordMetadata m = producer.send(new ProducerRecord<>(topic, r.partition(), r.key(), r.value(),
                        Arrays.asList(r.headers()))).get();
                offsets.add(m.offset());
            }
        }
        return offsets;
    }

    /**
     * Reads a topic from the start as a {@code read_committed} consumer until {@code done} holds for what was read
     * and the end of the committed data is reached, or the timeout passes.
     */
    public List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic, Duration timeout,
            Predicate<List<ConsumerRecord<byte[], byte[]>>> done) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers());
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                boolean atEnd = partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
                if (atEnd && done.test(read)) {
                    break;
                }
            }
        }
        return read;
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
