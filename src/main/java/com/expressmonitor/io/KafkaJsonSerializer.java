package com.expressmonitor.io;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;

/** Writes an output record to its topic: the value is its JSON (the same bytes as a {@code dir:} line), plus a key. */
public final class KafkaJsonSerializer<T> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final SerializableFunction<T, byte[]> toJson;
    private final SerializableFunction<T, String> key;
    private final boolean eventTimestamp;

    /**
     * @param eventTimestamp true: the Kafka timestamp is the record's event time in the stream (window outputs);
     *     false: the producer's clock (records that are about when they were seen, such as late events)
     */
    public KafkaJsonSerializer(String topic, SerializableFunction<T, byte[]> toJson, SerializableFunction<T, String> key,
            boolean eventTimestamp) {
        this.topic = topic;
        this.toJson = toJson;
        this.key = key;
        this.eventTimestamp = eventTimestamp;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        String k = key.apply(element);
        Long ts = eventTimestamp && timestamp != null && timestamp >= 0 ? timestamp : null;
        return new ProducerRecord<>(topic, null, ts, k == null ? null : k.getBytes(StandardCharsets.UTF_8),
                toJson.apply(element));
    }
}
