package com.expressmonitor.tools;

import com.expressmonitor.config.ConfigException;
import com.expressmonitor.config.KafkaSettings;
import com.expressmonitor.io.KafkaIo;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Prints a topic's records from the beginning as a {@code read_committed} consumer (what downstream readers of the
 * monitor's exactly-once outputs see): one line per record, with its key and, for records with headers, the headers.
 * Stops at the end of the committed data, or follows it with {@code --follow true}.
 *
 * <pre>
 * java -cp express-traffic-monitor.jar com.expressmonitor.tools.ReadTopic --topic alerts|district-metrics|
 *     dead-letter|late-events|scan-events|NAME [--follow true] [--max N]
 * </pre>
 */
public final class ReadTopic {
    private ReadTopic() {}

    public static void main(String[] args) {
        ToolArgs.run("read-topic", () -> {
            ToolArgs a = ToolArgs.parse(args, Set.of("topic", "follow", "max"));
            KafkaSettings k = a.config.kafka();
            String name = a.option("topic", null);
            if (name == null) {
                throw new ConfigException("topic", "is required");
            }
            String topic = Map.of("scan-events", k.scanEventsTopic(), "district-metrics", k.districtMetricsTopic(),
                    "alerts", k.alertsTopic(), "dead-letter", k.deadLetterTopic(), "late-events", k.lateEventsTopic())
                    .getOrDefault(name, name);
            boolean follow = Boolean.parseBoolean(a.option("follow", "false"));
            long max = a.longOption("max", Long.MAX_VALUE);
            Properties p = KafkaIo.clientProperties(k);
            p.setProperty("bootstrap.servers", k.bootstrapServers());
            p.setProperty("isolation.level", "read_committed");
            p.setProperty("enable.auto.commit", "false");
            long printed = 0;
            try (KafkaConsumer<byte[], byte[]> consumer =
                    new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                if (!consumer.listTopics(Duration.ofSeconds(30)).containsKey(topic)) {
                    throw new ConfigException("topic", "no topic '" + topic + "' on " + k.bootstrapServers());
                }
                List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                        .map(i -> new TopicPartition(topic, i.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                while (printed < max) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        System.out.println(format(r));
                        if (++printed >= max) {
                            break;
                        }
                    }
                    if (!follow) {
                        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                        if (partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp))) {
                            break;
                        }
                    }
                }
            }
            System.err.println(printed + " records from " + topic);
        });
    }

    private static String format(ConsumerRecord<byte[], byte[]> r) {
        StringBuilder b = new StringBuilder();
        b.append(r.partition()).append('/').append(r.offset()).append(' ')
                .append(r.key() == null ? "-" : text(r.key())).append(' ')
                .append(r.value() == null ? "null" : text(r.value()));
        Header[] headers = r.headers().toArray();
        if (headers.length > 0) {
            b.append("  headers:");
            for (Header h : headers) {
                b.append(' ').append(h.key()).append('=').append(h.value() == null ? "null" : text(h.value()));
            }
        }
        return b.toString();
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
