package com.expressmonitor.benchmark;

import com.expressmonitor.config.LocalTimes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Latency of the Kafka path from its topics alone: for each window end, the moment every input partition had
 * received a scan far enough past it for the watermark to pass it (the Kafka timestamps of the scans, set when they
 * were sent), and for each metrics and alert record of that window, the moment the job wrote it (its Kafka
 * timestamp, set when the job's producer sent it into its transaction; consumers see it when the checkpoint commits).
 *
 * <p>Windows that the input passes in its first {@code warmup-seconds} (the job starting) and in its last
 * {@code cooldown-seconds} are reported apart. The steady p99 ({@code latencyP99msSteady}) counts only the windows
 * passed after {@code steady-after-seconds}: a job started cold behind a topic already filling at half its top
 * speed took about 40 s to catch up (its code compiled meanwhile), a start a running deployment goes through once.
 * At the end, a generated day sent at a fixed rate of events, not of time, runs out: its sparse tail (the last
 * deliveries, hours of event time with few scans) passes in a moment, and dozens of windows close at once, which a
 * network whose scans follow the clock never does.
 *
 * <pre>
 *   KafkaLatency --bootstrap HOST:PORT --input TOPIC --outputs TOPIC,TOPIC [--out-of-orderness-ms 120000]
 *                [--window-ms 300000] [--offset-seconds 28800] [--warmup-seconds 10] [--cooldown-seconds 1]
 *                [--steady-after-seconds 45] [--label NAME] [--results FILE] [--timeline FILE]
 * </pre>
 */
public final class KafkaLatency {
    private static final ObjectMapper JSON = new ObjectMapper();

    private KafkaLatency() {}

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            a.put(argv[i].substring(2), argv[i + 1]);
        }
        String bootstrap = a.get("bootstrap");
        long ooo = Long.parseLong(a.getOrDefault("out-of-orderness-ms", "120000"));
        long window = Long.parseLong(a.getOrDefault("window-ms", "300000"));
        int offset = Integer.parseInt(a.getOrDefault("offset-seconds", "28800"));

        // When the watermark of each partition passed each window end: the first scan with an event time of at
        // least end + out-of-orderness (the watermark is the greatest event time - out-of-orderness - 1 ms).
        Map<Integer, TreeMap<Long, Long>> passedByPartition = new HashMap<>();
        Map<Integer, long[]> state = new HashMap<>(); // per partition: greatest event time, next window end
        long firstSent = Long.MAX_VALUE;
        long lastSent = Long.MIN_VALUE;
        for (ConsumerRecord<byte[], byte[]> r : read(bootstrap, a.get("input"))) {
            firstSent = Math.min(firstSent, r.timestamp());
            lastSent = Math.max(lastSent, r.timestamp());
            Long t = eventTime(r.value());
            if (t == null) {
                continue;
            }
            long[] s = state.computeIfAbsent(r.partition(), p -> new long[] {Long.MIN_VALUE, Long.MIN_VALUE});
            if (t <= s[0]) {
                continue;
            }
            s[0] = t;
            long watermark = t - ooo - 1;
            if (s[1] == Long.MIN_VALUE) {
                s[1] = LocalTimes.windowEnd(watermark, window, offset);
            }
            TreeMap<Long, Long> passed = passedByPartition.computeIfAbsent(r.partition(), p -> new TreeMap<>());
            while (watermark >= s[1] - 1) {
                passed.put(s[1], r.timestamp());
                s[1] += window;
            }
        }
        Map<Long, Long> passed = new HashMap<>();
        for (Long end : passedByPartition.values().iterator().next().keySet()) {
            long latest = Long.MIN_VALUE;
            boolean everywhere = true;
            for (TreeMap<Long, Long> p : passedByPartition.values()) {
                Long at = p.get(end);
                if (at == null) {
                    everywhere = false;
                    break;
                }
                latest = Math.max(latest, at);
            }
            if (everywhere) {
                passed.put(end, latest);
            }
        }
        long from = firstSent + Long.parseLong(a.getOrDefault("warmup-seconds", "10")) * 1000;
        long until = lastSent - Long.parseLong(a.getOrDefault("cooldown-seconds", "1")) * 1000;
        long steadyFrom = firstSent + Long.parseLong(a.getOrDefault("steady-after-seconds", "45")) * 1000;
        List<Long> latencies = new ArrayList<>();
        List<Long> steady = new ArrayList<>();
        List<Long> atEnd = new ArrayList<>();
        long unmatched = 0;
        TreeMap<Long, Long> worstByWindow = new TreeMap<>();
        for (String topic : a.get("outputs").split(",")) {
            for (ConsumerRecord<byte[], byte[]> r : read(bootstrap, topic)) {
                JsonNode n = JSON.readTree(r.value());
                long end = OffsetDateTime.parse(n.path("windowEnd").asText()).toInstant().toEpochMilli();
                Long at = passed.get(end);
                if (at == null) {
                    unmatched++;
                    continue;
                }
                long latency = r.timestamp() - at;
                if (at > until) {
                    atEnd.add(latency);
                } else if (at >= from) {
                    latencies.add(latency);
                    if (at >= steadyFrom) {
                        steady.add(latency);
                    }
                }
                worstByWindow.merge(end, latency, Math::max);
            }
        }
        if (a.containsKey("timeline")) {
            // One line per window: when the input's watermark passed its end (ms since the first scan was sent, and
            // the time, to compare with the checkpoints'), and the latency of its slowest output: whether slow
            // windows come together (a pause) or spread out.
            StringBuilder t = new StringBuilder("passedAfterMs\tpassedAt\twindowEnd\tworstLatencyMs\n");
            for (Map.Entry<Long, Long> w : worstByWindow.entrySet()) {
                long at = passed.get(w.getKey());
                t.append(at - firstSent).append('\t').append(Instant.ofEpochMilli(at)).append('\t')
                        .append(Instant.ofEpochMilli(w.getKey()))
                        .append('\t').append(w.getValue()).append('\n');
            }
            java.nio.file.Files.writeString(java.nio.file.Path.of(a.get("timeline")), t, StandardCharsets.UTF_8);
        }
        latencies.sort(null);
        steady.sort(null);
        Map<String, Object> result = new java.util.LinkedHashMap<>();
        result.put("label", a.getOrDefault("label", "latency-kafka"));
        result.put("latencySamples", latencies.size());
        result.put("outputsNotTimed", unmatched);
        if (!latencies.isEmpty()) {
            result.put("latencyP50ms", latencies.get(latencies.size() / 2));
            result.put("latencyP99ms", MonitorBenchmark.p99(latencies));
            result.put("latencyMaxMs", latencies.get(latencies.size() - 1));
        }
        result.put("latencySamplesSteady", steady.size());
        if (!steady.isEmpty()) {
            result.put("latencyP99msSteady", MonitorBenchmark.p99(steady));
        }
        result.put("latencySamplesAtEnd", atEnd.size());
        if (!atEnd.isEmpty()) {
            result.put("latencyMaxMsAtEnd", atEnd.stream().mapToLong(Long::longValue).max().getAsLong());
        }
        String json = JSON.writeValueAsString(result);
        System.out.println("RESULT " + json);
        if (a.containsKey("results")) {
            java.nio.file.Files.writeString(java.nio.file.Path.of(a.get("results")), json + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        }
        System.out.printf(Locale.ROOT, "%d outputs timed, %d of windows that closed only at the end%n", latencies.size(),
                unmatched);
    }

    private static Long eventTime(byte[] value) {
        try {
            JsonNode n = JSON.readTree(value);
            JsonNode t = n == null ? null : n.get("eventTime");
            if (t == null || !t.isTextual()) {
                return null;
            }
            return OffsetDateTime.parse(t.asText()).toInstant().toEpochMilli();
        } catch (Exception e) {
            return null; // not a scan: it moves no watermark
        }
    }

    /** Every committed record of a topic, partition by partition in offset order. */
    private static List<ConsumerRecord<byte[], byte[]>> read(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        p.put("max.poll.records", "5000");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        out.sort((x, y) -> x.partition() != y.partition() ? Integer.compare(x.partition(), y.partition())
                : Long.compare(x.offset(), y.offset()));
        return out;
    }
}
