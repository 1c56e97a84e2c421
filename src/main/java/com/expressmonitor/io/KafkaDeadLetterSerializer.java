package com.expressmonitor.io;

import com.expressmonitor.event.DeadLetter;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;

/**
 * Writes a dead letter to Kafka as the original record: value = the original bytes, headers = the original headers
 * plus {@code dlq.reason}, {@code dlq.detail} and where it came from ({@code dlq.source.topic},
 * {@code dlq.source.partition}, {@code dlq.source.offset} for Kafka input, {@code dlq.source} otherwise), so that it
 * can be inspected and replayed as it was.
 */
public final class KafkaDeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {
    private static final long serialVersionUID = 1L;

    public static final String REASON = "dlq.reason";
    public static final String DETAIL = "dlq.detail";
    public static final String SOURCE = "dlq.source";
    public static final String SOURCE_TOPIC = "dlq.source.topic";
    public static final String SOURCE_PARTITION = "dlq.source.partition";
    public static final String SOURCE_OFFSET = "dlq.source.offset";

    private final String topic;

    public KafkaDeadLetterSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DeadLetter d, KafkaSinkContext context, Long timestamp) {
        RecordHeaders headers = new RecordHeaders();
        if (d.headerKeys() != null) {
            for (int i = 0; i < d.headerKeys().length; i++) {
                headers.add(d.headerKeys()[i], d.headerValues()[i]);
            }
        }
        headers.add(REASON, utf8(d.reason().name()));
        headers.add(DETAIL, utf8(d.detail()));
        String source = d.source();
        // kafka:TOPIC/PARTITION/OFFSET; topic names cannot contain '/'
        int last = source.lastIndexOf('/');
        int middle = last > 0 ? source.lastIndexOf('/', last - 1) : -1;
        if (source.startsWith("kafka:") && middle > "kafka:".length()) {
            headers.add(SOURCE_TOPIC, utf8(source.substring("kafka:".length(), middle)));
            headers.add(SOURCE_PARTITION, utf8(source.substring(middle + 1, last)));
            headers.add(SOURCE_OFFSET, utf8(source.substring(last + 1)));
        } else {
            headers.add(SOURCE, utf8(source));
        }
        // Timestamp: when it was rejected (the producer's clock); a rejected record has no event time.
        return new ProducerRecord<>(topic, null, null, null, d.raw(), headers);
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }
}
