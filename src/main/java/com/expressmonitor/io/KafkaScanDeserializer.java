package com.expressmonitor.io;

import com.expressmonitor.event.RejectReason;
import com.expressmonitor.event.ScanParser;
import com.expressmonitor.event.ScanRecord;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.util.HashMap;
import java.util.Map;

/**
 * Turns each Kafka record into a {@link ScanRecord} with the shared {@link ScanParser}. It never throws: a record
 * that cannot be read (including a null or empty value) becomes a rejected record whose source is
 * {@code kafka:TOPIC/PARTITION/OFFSET} and which keeps the record's headers for the dead-letter output.
 */
public final class KafkaScanDeserializer implements KafkaRecordDeserializationSchema<ScanRecord> {
    private static final long serialVersionUID = 1L;
    private static final String[] NO_KEYS = new String[0];
    private static final byte[][] NO_VALUES = new byte[0][];

    private final ScanParser parser;
    /** {@code kafka:TOPIC/PARTITION/} per topic and partition, built once rather than per record. */
    private transient Map<String, String[]> prefixes;
    private transient String lastTopic;
    private transient int lastPartition;
    private transient String lastPrefix;

    public KafkaScanDeserializer(ScanParser parser) {
        this.parser = parser;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ScanRecord> out) {
        out.collect(read(record));
    }

    /** The scan record for one Kafka record; never throws. */
    public ScanRecord read(ConsumerRecord<byte[], byte[]> record) {
        String prefix = prefix(record.topic(), record.partition());
        long offset = record.offset();
        byte[] value = record.value();
        ScanRecord r;
        try {
            if (value == null || value.length == 0) {
                r = ScanRecord.rejected(RejectReason.MALFORMED_JSON, "record value is " + (value == null ? "null" : "empty")
                        + ", not a JSON object (" + prefix + offset + ")", new byte[0], prefix, offset);
            } else {
                r = parser.parse(value, prefix, offset);
            }
        } catch (RuntimeException e) {
            // The parser is written not to throw; should it ever, the record still goes to the dead letters.
            r = ScanRecord.rejected(RejectReason.MALFORMED_JSON, "record could not be read: " + e.getClass().getSimpleName()
                    + " (" + prefix + offset + ")", value == null ? new byte[0] : value.clone(), prefix, offset);
        }
        if (!r.isValid()) {
            attachHeaders(r, record);
        }
        return r;
    }

    private static void attachHeaders(ScanRecord r, ConsumerRecord<byte[], byte[]> record) {
        Header[] headers = record.headers() == null ? null : record.headers().toArray();
        if (headers == null || headers.length == 0) {
            r.withHeaders(NO_KEYS, NO_VALUES);
            return;
        }
        String[] keys = new String[headers.length];
        byte[][] values = new byte[headers.length][];
        for (int i = 0; i < headers.length; i++) {
            keys[i] = headers[i].key();
            values[i] = headers[i].value();
        }
        r.withHeaders(keys, values);
    }

    String prefix(String topic, int partition) {
        // Records come in runs from one partition (a fetch is per partition), and the topic is the same instance.
        if (topic == lastTopic && partition == lastPartition) {
            return lastPrefix;
        }
        lastPrefix = lookUpPrefix(topic, partition);
        lastTopic = topic;
        lastPartition = partition;
        return lastPrefix;
    }

    private String lookUpPrefix(String topic, int partition) {
        if (prefixes == null) {
            prefixes = new HashMap<>();
        }
        String[] byPartition = prefixes.get(topic);
        if (byPartition == null || partition >= byPartition.length) {
            String[] grown = new String[Math.max(partition + 1, byPartition == null ? 16 : byPartition.length * 2)];
            if (byPartition != null) {
                System.arraycopy(byPartition, 0, grown, 0, byPartition.length);
            }
            byPartition = grown;
            prefixes.put(topic, byPartition);
        }
        String p = byPartition[partition];
        if (p == null) {
            p = "kafka:" + topic + "/" + partition + "/";
            byPartition[partition] = p;
        }
        return p;
    }

    @Override
    public TypeInformation<ScanRecord> getProducedType() {
        return TypeInformation.of(ScanRecord.class);
    }
}
