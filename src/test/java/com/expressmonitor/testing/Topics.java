package com.expressmonitor.testing;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads a broker's topics as a {@code read_committed} consumer would, and the progress of a consumer group; writes a
 * few records where a test needs them.
 */
public final class Topics {
    private final String bootstrap;

    public Topics(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** Every committed record of the topic, as text: the value, and for dead letters their {@code dlq.*} headers. */
    public List<String> readCommitted(String topic) {
        List<String> read = new ArrayList<>();
        readCommitted(topic, r -> read.add(text(r)));
        return read;
    }

    /** Every committed record's value, by partition, in order. */
    public Map<Integer, List<byte[]>> valuesByPartition(String topic) {
        Map<Integer, List<byte[]>> read = new TreeMap<>();
        readCommitted(topic, r -> read.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(r.value()));
        return read;
    }

    /** Writes each value to its partition and waits until the broker has them all. */
    public void send(String topic, Map<Integer, byte[]> valueByPartition) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.<String, Object>of("bootstrap.servers", bootstrap), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Map.Entry<Integer, byte[]> v : valueByPartition.entrySet()) {
                producer.send(new ProducerRecord<>(topic, v.getKey(), null, v.getValue())).get();
            }
        }
    }

    private void readCommitted(String topic, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions); // the last stable offsets
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end within 60 s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(each);
            }
        }
    }

    private static String text(ConsumerRecord<byte[], byte[]> r) {
        StringBuilder s = new StringBuilder(r.value() == null ? "null" : new String(r.value(), StandardCharsets.UTF_8));
        for (Header h : r.headers()) {
            if (h.key().startsWith("dlq.")) {
                s.append(" | ").append(h.key()).append('=').append(new String(h.value(), StandardCharsets.UTF_8));
            }
        }
        return s.toString();
    }

    /** Records of the topic not yet committed by the group (its lag), over all partitions. */
    public long lag(String group, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                    .partitions().stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            Map<TopicPartition, Long> end = admin.listOffsets(partitions.stream()
                    .collect(Collectors.toMap(Function.identity(), tp -> OffsetSpec.latest()))).all().get()
                    .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            long lag = 0;
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata c = committed.get(tp);
                lag += end.get(tp) - (c == null ? 0 : c.offset());
            }
            return lag;
        }
    }
}
