package com.expressmonitor.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.expressmonitor.config.ConfigLoader;
import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.event.ScanParser;
import com.expressmonitor.generator.NetworkModel;
import com.expressmonitor.generator.TrafficSimulator;
import com.expressmonitor.io.KafkaIo;
import com.expressmonitor.io.OutputJson;
import com.expressmonitor.parcel.ParcelTrackerOperator;
import com.expressmonitor.testing.KafkaTestBroker;
import com.expressmonitor.testing.PipelineRun;
import com.expressmonitor.testing.TestCluster;

import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Partitions read at very different speeds give the same outputs as an even read, and the scans waiting for the
 * watermark stay few: one partition of the input topic is written all at once while the job runs, the other has only
 * begun and is written at a trickle. Without watermark alignment the fast partition is read to its end and its scans
 * wait in the parcel tracker for the slow one; with it, the fast partition pauses a few minutes of event time ahead.
 */
class UnevenPartitionsITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = TestCluster.twoSlots();

    @RegisterExtension
    static final KafkaTestBroker.PerClass KAFKA = new KafkaTestBroker.PerClass();

    @TempDir
    Path dir;

    private static final Pattern WAYBILL = Pattern.compile("\"waybillNo\":\"([^\"]*)\"");

    /**
     * A seeded day in two partitions by waybill, in the order a producer writes it: partition 0 gets one parcel in
     * twenty (a quiet partition, to be read slowly), partition 1 the others.
     */
    private static List<List<byte[]>> day(MonitorConfig config) {
        TrafficSimulator sim = new TrafficSimulator(NetworkModel.from(config), LocalDate.of(2026, 11, 11),
                config.zoneOffset(), 8_000, 3, 0, 1);
        List<List<byte[]>> partitions = List.of(new ArrayList<>(), new ArrayList<>());
        int garbled = 0;
        while (sim.hasNext()) {
            byte[] v = sim.next();
            Matcher m = WAYBILL.matcher(new String(v, StandardCharsets.UTF_8));
            partitions.get(m.find() ? (Math.floorMod(m.group(1).hashCode(), 20) == 0 ? 0 : 1) : garbled++ % 2).add(v);
        }
        return partitions;
    }

    private static MonitorConfig config(String name, String maxDrift) {
        Map<String, String> o = new HashMap<>();
        o.put("kafka.bootstrap-servers", KAFKA.broker().bootstrapServers());
        o.put("kafka.group-id", name);
        o.put("kafka.starting-offsets", "earliest");
        o.put("kafka.topics.scan-events", name + ".scans");
        o.put("kafka.topics.district-metrics", name + ".metrics");
        o.put("kafka.topics.alerts", name + ".alerts");
        o.put("kafka.topics.dead-letter", name + ".dead-letter");
        o.put("kafka.topics.late-events", name + ".late");
        o.put("watermark.idleness", "0");
        o.put("watermark.max-drift", maxDrift);
        o.put("alerts.defaults.SORTING_CENTER.backlog.yellow", "30");
        o.put("alerts.defaults.STATION.backlog.yellow", "20");
        return ConfigLoader.load(Path.of("config/demo.yaml"), o);
    }

    /** The outcome of one run: its outputs (input topic names taken out) and the most scans that waited at once. */
    private record Run(Map<String, List<String>> outputs, long mostWaiting) {}

    /**
     * Starts the job on the first records of partition 0, then, once its readers run, writes partition 1 at once and
     * the rest of partition 0 at about 670 records a second (or, not {@code throttled}, at once too); stops the job
     * with a drain when everything is read.
     */
    private Run run(ClusterClient<?> client, String name, String maxDrift, List<List<byte[]>> day, boolean throttled)
            throws Exception {
        MonitorConfig config = config(name, maxDrift);
        KafkaTestBroker kafka = KAFKA.broker();
        kafka.createTopic(name + ".scans", 2);
        for (String o : List.of("metrics", "alerts", "dead-letter", "late")) {
            kafka.createTopic(name + "." + o, 1);
        }
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            // The slow partition has begun (a catch-up starts with every partition behind, none empty).
            List<byte[]> slow = day.get(0);
            int begun = slow.size() / 100;
            for (byte[] v : slow.subList(0, begun)) {
                producer.send(new ProducerRecord<>(name + ".scans", 0, null, v));
            }
            producer.flush();
            Map<String, String> flink = new HashMap<>(MonitorPipeline.flinkDefaults());
            flink.put("execution.checkpointing.interval", "300ms");
            // Watermarks, and so the alignment's checks, every 50 ms: a reader that has run ahead reads at most that
            // long at full speed before it pauses (at 200 ms, on a fast machine, that is a good part of this input).
            flink.put("pipeline.auto-watermark-interval", "50ms");
            flink.put("execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString());
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(Configuration.fromMap(flink));
            env.setParallelism(2);
            ScanParser parser = new ScanParser(config.facilities(), config.maxFutureMillis(), () -> PipelineRun.NOW);
            MonitorPipeline.build(env, config, new ScanInput(KafkaIo.source(config, parser), true, "Kafka", "source-kafka"),
                    KafkaIo.outputs(config, new OutputJson(config.zoneOffsetSeconds())));
            JobID job = env.executeAsync(name).getJobID();
            // Until each reader has reported its first watermark, the others are not held back (Flink aligns on the
            // watermarks reported so far): wait for every task, then a few alignment rounds, before the fast
            // partition is there, so that what is measured is the alignment and not the order the readers started in.
            while (!TestCluster.allTasksRunning(client, job)) {
                Thread.sleep(100);
            }
            Thread.sleep(2_000);
            for (byte[] v : day.get(1)) {
                producer.send(new ProducerRecord<>(name + ".scans", 1, null, v));
            }
            producer.flush();
            long start = System.nanoTime();
            for (int i = begun; i < slow.size(); i++) {
                producer.send(new ProducerRecord<>(name + ".scans", 0, null, slow.get(i)));
                long due = throttled ? start + (i - begun) * 1_500_000L : 0; // about 670 a second
                long now = System.nanoTime();
                if (due > now + 2_000_000L) {
                    Thread.sleep((due - now) / 1_000_000L);
                }
            }
            producer.flush();
            long total = day.get(0).size() + day.get(1).size();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (committed(name) < total && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            client.stopWithSavepoint(job, true, dir.resolve("savepoints").toUri().toString(),
                    SavepointFormatType.CANONICAL).get();
            JobResult result = client.requestJobResult(job).get();
            assertThat(result.isSuccess()).isTrue();
            Object most = result.toJobExecutionResult(getClass().getClassLoader())
                    .getAccumulatorResult(ParcelTrackerOperator.ACC_MOST_WAITING);
            Map<String, List<String>> outputs = new HashMap<>();
            for (String o : List.of("metrics", "alerts", "dead-letter", "late")) {
                List<String> lines = new ArrayList<>();
                for (ConsumerRecord<byte[], byte[]> r : kafka.readCommitted(name + "." + o, Duration.ofSeconds(30), x -> true)) {
                    lines.add(new String(r.value(), StandardCharsets.UTF_8).replace(name + ".scans", "INPUT"));
                }
                lines.sort(null);
                outputs.put(o, lines);
            }
            return new Run(outputs, ((Number) most).longValue());
        }
    }

    /** Records of the input the job has read and checkpointed (its group's committed offsets). */
    private static long committed(String name) throws Exception {
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers",
                KAFKA.broker().bootstrapServers()))) {
            return admin.listConsumerGroupOffsets(name).partitionsToOffsetAndMetadata().get().values().stream()
                    .mapToLong(o -> o == null ? 0 : o.offset()).sum();
        }
    }

    @Test
    void aThrottledPartitionBesideAFastOneGivesTheOutputsOfAnEvenReadWithFewScansWaiting(
            @InjectClusterClient ClusterClient<?> client) throws Exception {
        MonitorConfig base = ConfigLoader.load(Path.of("config/demo.yaml"), Map.of());
        List<List<byte[]>> day = day(base);

        Run even = run(client, "even", "5m", day, false);
        Run aligned = run(client, "aligned", "5m", day, true);
        Run unaligned = run(client, "unaligned", "0", day, true);

        assertThat(even.outputs().get("metrics")).hasSizeGreaterThan(300);
        assertThat(aligned.outputs()).isEqualTo(even.outputs());
        assertThat(unaligned.outputs()).isEqualTo(even.outputs());
        // Without alignment the fast partition is read ahead and its scans wait for the slow one; with it, the fast
        // one pauses max-drift ahead (give or take what it reads between two alignment checks, 50 ms apart).
        String waiting = "most scans waiting: aligned " + aligned.mostWaiting() + ", unaligned " + unaligned.mostWaiting();
        assertThat(unaligned.mostWaiting()).as(waiting).isGreaterThan(10_000);
        assertThat(aligned.mostWaiting()).as(waiting).isLessThan(unaligned.mostWaiting() / 2);
    }
}
