package com.expressmonitor.io;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;

/**
 * Writes an output record to its topic: the value is its JSON (the same bytes as a {@code dir:} line), plus a key.
 *
 * <p>The Kafka timestamp is left to the producer, so it is the moment the record is written, never the window's
 * event time: brokers refuse records stamped more than an hour ahead of their clock (a simulated or replayed day in
 * the future) and delete those stamped further back than their retention (a replay of last month) at once. The
 * window a record describes is in its value.
 */
public final class KafkaJsonSerializer<T> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final SerializableFunction<T, byte[]> toJson;
    private final SerializableFunction<T, String> key;

    public KafkaJsonSerializer(String topic, SerializableFunction<T, byte[]> toJson, SerializableFunction<T, String> key) {
        this.topic = topic;
        this.toJson = toJson;
        this.key = key;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        String k = key.apply(element);
        return new ProducerRecord<>(topic, null, null, k == null ? null : k.getBytes(StandardCharsets.UTF_8),
                toJson.apply(element));
    }
}
