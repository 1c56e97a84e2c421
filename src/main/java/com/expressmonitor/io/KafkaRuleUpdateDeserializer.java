package com.expressmonitor.io;

import com.expressmonitor.alert.RuleUpdateRecord;
import com.expressmonitor.event.Utf8;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.charset.StandardCharsets;

/**
 * Reads a control-topic record as a {@link RuleUpdateRecord}: its value as text (null when absent or not UTF-8, which
 * the coordinator rejects) and where it came from. Never throws: a bad update is answered, it does not stop the job.
 */
public final class KafkaRuleUpdateDeserializer implements KafkaRecordDeserializationSchema<RuleUpdateRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RuleUpdateRecord> out) {
        byte[] value = record.value();
        String text = value == null || !Utf8.isValid(value) ? null : new String(value, StandardCharsets.UTF_8);
        out.collect(new RuleUpdateRecord(text,
                "kafka:" + record.topic() + "/" + record.partition() + "/" + record.offset()));
    }

    @Override
    public TypeInformation<RuleUpdateRecord> getProducedType() {
        return TypeInformation.of(RuleUpdateRecord.class);
    }
}
