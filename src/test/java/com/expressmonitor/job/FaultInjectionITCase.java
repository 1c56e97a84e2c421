package com.expressmonitor.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.expressmonitor.config.ConfigLoader;
import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.event.ScanParser;
import com.expressmonitor.generator.NetworkModel;
import com.expressmonitor.generator.TrafficSimulator;
import com.expressmonitor.io.KafkaIo;
import com.expressmonitor.io.OutputJson;
import com.expressmonitor.parcel.FailingParcelTracker;
import com.expressmonitor.parcel.ParcelTracker;
import com.expressmonitor.testing.DayEnd;
import com.expressmonitor.testing.FailingCheckpointStorage;
import com.expressmonitor.testing.KafkaTestBroker;
import com.expressmonitor.testing.PipelineRun;
import com.expressmonitor.testing.TestCluster;
import com.expressmonitor.testing.Topics;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Nothing lost and nothing twice under every fault a test can inject, against a real Kafka broker: each case runs
 * the job at parallelism 2 on a mini cluster of two TaskManagers, reading a seeded day of scans that is written to
 * the input topic while the job runs, and writing exactly once to Kafka; a fault hits while it works; when all input
 * is read, the job is stopped with a drain (which closes every window), and the outputs read {@code read_committed}
 * must equal those of one failure-free bounded run of the same records, as multisets, with no record twice. The
 * run's counts (kept in checkpointed state) must be those of the failure-free run and hold the accounting identity,
 * with the invalid and late counts equal to what was committed to the dead-letter and late-event topics.
 */
class FaultInjectionITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(2).setNumberSlotsPerTaskManager(2)
            // a job of two slots takes one on each TaskManager, so that losing either one hits it
            .setConfiguration(Configuration.fromMap(Map.of("taskmanager.load-balance.mode", "SLOTS")))
            .build());

    @RegisterExtension
    static final KafkaTestBroker.PerClass KAFKA = new KafkaTestBroker.PerClass();

    @TempDir
    static Path dir;

    private static final MonitorConfig BASE = ConfigLoader.load(Path.of("config/demo.yaml"), Map.of());
    private static final int PARTITIONS = 4;
    private static final Pattern WAYBILL = Pattern.compile("\"waybillNo\":\"([^\"]*)\"");
    private static final Duration WAIT = Duration.ofMinutes(2);

    /** The input: a seeded day, each record with the partition a key-hashing producer would give it. */
    private static List<KafkaTestBroker.Out> input;
    private static Outcome golden;

    private static KafkaTestBroker kafka() {
        return KAFKA.broker();
    }

    /** The committed outputs (topic names taken out of their sources) and the run's counts. */
    private record Outcome(Map<String, List<String>> outputs, RunSummary summary) {}

    @BeforeAll
    static void goldenRun() throws Exception {
        TrafficSimulator sim = new TrafficSimulator(NetworkModel.from(BASE), LocalDate.of(2026, 11, 11),
                BASE.zoneOffset(), 2_500, 5, 0, 1);
        input = new ArrayList<>();
        while (sim.hasNext()) {
            byte[] value = sim.next();
            Matcher m = WAYBILL.matcher(new String(value, StandardCharsets.UTF_8));
            String key = m.find() ? m.group(1) : null;
            int partition = key == null ? input.size() % PARTITIONS : Math.floorMod(key.hashCode(), PARTITIONS);
            input.add(new KafkaTestBroker.Out(partition, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                    value));
        }
        endEveryPartitionAtTheEnd();
        createTopics("golden");
        feed("golden.scans", 0);
        MonitorConfig config = config("golden", true);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink(Map.of()));
        env.setParallelism(2);
        MonitorPipeline.build(env, config, input(config), KafkaIo.outputs(config, new OutputJson(config.zoneOffsetSeconds())));
        RunSummary summary = RunSummary.of(env.execute("golden"));
        golden = new Outcome(committed("golden"), summary);
        assertThat(golden.outputs().get("metrics")).hasSizeGreaterThan(500);
        assertThat(golden.outputs().get("alerts")).hasSizeGreaterThan(10);
        assertThat(golden.outputs().get("dead-letter")).isNotEmpty();
        assertThat(golden.outputs().get("late")).isNotEmpty();
        assertAccounted(golden);
    }

    /** Appends to each partition a scan a minute after the day's last scan (see {@link DayEnd}). */
    private static void endEveryPartitionAtTheEnd() {
        Map<Integer, List<byte[]>> byPartition = new TreeMap<>();
        for (KafkaTestBroker.Out o : input) {
            byPartition.computeIfAbsent(o.partition(), p -> new ArrayList<>()).add(o.value());
        }
        DayEnd.scans(byPartition).forEach((p, scan) ->
                input.add(new KafkaTestBroker.Out(p, ("END" + p).getBytes(StandardCharsets.UTF_8), scan)));
    }

    /** A case that failed leaves no job behind to take the next case's slots and CPU. */
    @AfterEach
    void cancelJobsLeftRunning(@InjectClusterClient ClusterClient<?> client) throws Exception {
        for (var job : client.listJobs().get()) {
            if (!job.getJobState().isGloballyTerminalState()) {
                client.cancel(job.getJobId()).get();
            }
        }
    }

    @Test
    void anExceptionInTheParcelTracker(@InjectClusterClient ClusterClient<?> client) throws Exception {
        Case c = new Case("tracker", client);
        JobID job = c.submit(2, Map.of(), new FailingParcelTracker(c.config, "tracker", List.of(4_000)), null);
        c.finish(job);
        assertThat(c.failures(job)).anyMatch(f -> f.contains("injected failure after 4000 scans"));
        c.assertSameAsGolden();
    }

    @Test
    void aLostTaskManager(@InjectClusterClient ClusterClient<?> client, @InjectMiniCluster MiniCluster cluster)
            throws Exception {
        Case c = new Case("lost-tm", client);
        JobID job = c.submit(2, Map.of(), null, null);
        c.awaitWorking(job);
        cluster.terminateTaskManager(0).get();
        cluster.startTaskManager();
        c.finish(job);
        assertThat(c.failures(job)).isNotEmpty();
        c.assertSameAsGolden();
    }

    @Test
    void threeFailuresInARowOneOfThemDuringRecovery(@InjectClusterClient ClusterClient<?> client) throws Exception {
        Case c = new Case("three", client);
        JobID job = c.submit(2, Map.of(), new FailingParcelTracker(c.config, "three",
                List.of(3_000, FailingParcelTracker.IN_RECOVERY, 2_000)), null);
        c.finish(job);
        assertThat(c.failures(job)).anyMatch(f -> f.contains("injected failure after 3000 scans"))
                .anyMatch(f -> f.contains("injected failure while recovering"))
                .anyMatch(f -> f.contains("injected failure after 2000 scans"));
        c.assertSameAsGolden();
    }

    @Test
    void aFailureInTheAsynchronousPartOfACheckpoint(@InjectClusterClient ClusterClient<?> client) throws Exception {
        Case c = new Case("async", client);
        JobID job = c.submit(2, Map.of(
                "execution.checkpointing.storage", FailingCheckpointStorage.Factory.class.getName(),
                "test.fail-checkpoint-id", "6"), null, null);
        c.finish(job);
        assertThat(c.failures(job)).isNotEmpty();
        c.assertSameAsGolden();
    }

    @Test
    void stopWithASavepointThenResume(@InjectClusterClient ClusterClient<?> client) throws Exception {
        Case c = new Case("savepoint", client);
        JobID first = c.submit(2, Map.of(), null, null);
        c.awaitWorking(first);
        String savepoint = c.stopWithSavepoint(first);
        JobID resumed = c.submit(2, Map.of(), null, savepoint);
        c.finish(resumed);
        c.assertSameAsGolden();
    }

    @Test
    void rescaleFromTwoToOneToTwoThroughSavepoints(@InjectClusterClient ClusterClient<?> client) throws Exception {
        Case c = new Case("rescale", client);
        JobID two = c.submit(2, Map.of(), null, null);
        c.awaitWorking(two);
        JobID one = c.submit(1, Map.of(), null, c.stopWithSavepoint(two));
        c.awaitWorking(one);
        JobID twoAgain = c.submit(2, Map.of(), null, c.stopWithSavepoint(one));
        c.finish(twoAgain);
        c.assertSameAsGolden();
    }

    @Test
    void theBrokerRestartsInTheMiddleOfTheRun(@InjectClusterClient ClusterClient<?> client) throws Exception {
        Case c = new Case("broker", client);
        JobID job = c.submit(2, Map.of(), null, null);
        c.awaitWorking(job);
        kafka().restart(Duration.ofSeconds(2));
        c.finish(job);
        c.assertSameAsGolden();
    }

    // ------------------------------------------------------------------------------------------------ a case

    /** One fault case: its topics, the input written while it runs, its jobs and their outcome. */
    private static final class Case {
        final String name;
        final ClusterClient<?> client;
        final MonitorConfig config;
        final Thread feeder;
        RunSummary summary;

        Case(String name, ClusterClient<?> client) throws Exception {
            this.name = name;
            this.client = client;
            this.config = config(name, false);
            createTopics(name);
            // The day is written at about 4,000 records a second: the faults below hit a job that is working.
            feeder = new Thread(() -> feed(name + ".scans", 4_000), "feed " + name);
            feeder.start();
        }

        JobID submit(int parallelism, Map<String, String> options, ParcelTracker tracker, String savepoint)
                throws Exception {
            Map<String, String> o = new HashMap<>(options);
            if (savepoint != null) {
                o.put("execution.state-recovery.path", savepoint);
            }
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink(o));
            env.setParallelism(parallelism);
            MonitorPipeline.build(env, config, input(config),
                    KafkaIo.outputs(config, new OutputJson(config.zoneOffsetSeconds())),
                    tracker != null ? tracker : new ParcelTracker(config));
            return env.executeAsync(name).getJobID();
        }

        /**
         * Waits until the job runs, every one of its tasks too (a stop with a savepoint needs them all, and the job is
         * RUNNING before its tasks are), and it has committed some outputs.
         */
        void awaitWorking(JobID job) throws Exception {
            await("job " + name + " commits outputs", () -> client.getJobStatus(job).get() == JobStatus.RUNNING
                    && TestCluster.allTasksRunning(client, job)
                    && !kafka().readCommitted(name + ".metrics", Duration.ofSeconds(5), r -> true).isEmpty());
        }

        String stopWithSavepoint(JobID job) throws Exception {
            return client.stopWithSavepoint(job, false, dir.resolve("savepoints").toUri().toString(),
                    SavepointFormatType.CANONICAL).get();
        }

        /** Once the whole input is written, read and checkpointed: a stop that drains, and the job's counts. */
        void finish(JobID job) throws Exception {
            feeder.join(WAIT.toMillis());
            try {
                await("all input of " + name + " read and checkpointed",
                        () -> !feeder.isAlive() && new Topics(kafka().bootstrapServers()).lag(config.kafka().groupId(), name + ".scans") == 0
                                && client.getJobStatus(job).get() == JobStatus.RUNNING && TestCluster.allTasksRunning(client, job));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; the job is " + client.getJobStatus(job).get()
                        + ", lag " + new Topics(kafka().bootstrapServers()).lag(config.kafka().groupId(), name + ".scans") + ", its failures: " + failures(job)
                        .stream().map(f -> f.lines().filter(l -> l.startsWith("Caused by")).reduce((a, b) -> b)
                                .orElse(f.lines().findFirst().orElse(""))).toList());
            }
            client.stopWithSavepoint(job, true, dir.resolve("savepoints").toUri().toString(),
                    SavepointFormatType.CANONICAL).get();
            JobResult result = client.requestJobResult(job).get();
            assertThat(result.isSuccess()).isTrue();
            summary = RunSummary.of(result.toJobExecutionResult(getClass().getClassLoader()));
        }

        /** The failures the job recorded (its exception history, through the cluster's REST API), as stack traces. */
        List<String> failures(JobID job) throws Exception {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(client.getWebInterfaceURL() + "/jobs/" + job + "/exceptions")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            List<String> traces = new ArrayList<>();
            new ObjectMapper().readTree(r.body()).path("exceptionHistory").path("entries")
                    .forEach(e -> traces.add(e.path("stacktrace").asText()));
            return traces;
        }

        void assertSameAsGolden() throws Exception {
            Outcome outcome = new Outcome(committed(name), summary);
            for (String output : golden.outputs().keySet()) {
                List<String> actual = outcome.outputs().get(output);
                assertThat(actual).as(name + ": " + output).containsExactlyInAnyOrderElementsOf(golden.outputs().get(output));
                assertThat(actual.stream().distinct().count()).as(name + ": " + output + " has no record twice")
                        .isEqualTo(actual.size());
            }
            assertAccounted(outcome);
            RunSummary g = golden.summary();
            assertThat(List.of(summary.input(), summary.counted(), summary.duplicates(), summary.late(), summary.invalid(),
                    summary.metrics(), summary.alerts())).as(name + ": the run's counts").isEqualTo(List.of(g.input(),
                    g.counted(), g.duplicates(), g.late(), g.invalid(), g.metrics(), g.alerts()));
        }
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private static MonitorConfig config(String name, boolean bounded) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("kafka.bootstrap-servers", kafka().bootstrapServers());
        o.put("kafka.group-id", name + "-monitor");
        o.put("kafka.starting-offsets", "earliest");
        o.put("kafka.bounded", String.valueOf(bounded));
        for (String[] t : topicNames(name)) {
            o.put("kafka.topics." + t[0], t[1]);
        }
        o.put("watermark.idleness", "0"); // the feed may pause on a partition; it must not be passed over
        o.put("alerts.defaults.SORTING_CENTER.backlog.yellow", "30");
        o.put("alerts.defaults.SORTING_CENTER.backlog.red", "60");
        o.put("alerts.defaults.STATION.backlog.yellow", "20");
        o.put("alerts.defaults.STATION.backlog.red", "40");
        return ConfigLoader.load(Path.of("config/demo.yaml"), o);
    }

    private static String[][] topicNames(String name) {
        return new String[][] {{"scan-events", name + ".scans"}, {"district-metrics", name + ".metrics"},
            {"alerts", name + ".alerts"}, {"dead-letter", name + ".dead-letter"}, {"late-events", name + ".late"}};
    }

    private static void createTopics(String name) throws Exception {
        kafka().createTopic(name + ".scans", PARTITIONS);
        for (String output : List.of("metrics", "alerts", "dead-letter", "late")) {
            kafka().createTopic(name + "." + output, 2);
        }
    }

    private static com.expressmonitor.job.ScanInput input(MonitorConfig config) {
        ScanParser parser = new ScanParser(config.facilities(), config.maxFutureMillis(), () -> PipelineRun.NOW);
        return new com.expressmonitor.job.ScanInput(KafkaIo.source(config, parser), true,
                "Kafka " + config.kafka().scanEventsTopic(), "source-kafka");
    }

    /** The Flink options of every run: RocksDB, incremental checkpoints every 200 ms, quick restarts. */
    private static Configuration flink(Map<String, String> extra) {
        Map<String, String> o = new HashMap<>(MonitorPipeline.flinkDefaults());
        o.put("state.backend.type", "rocksdb");
        o.put("execution.checkpointing.incremental", "true");
        o.put("execution.checkpointing.interval", "200ms");
        o.put("execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString());
        // Enough attempts to ride out a broker that takes a while to come back on a busy machine.
        o.put("restart-strategy.type", "fixed-delay");
        o.put("restart-strategy.fixed-delay.attempts", "30");
        o.put("restart-strategy.fixed-delay.delay", "500ms");
        o.putAll(extra);
        return Configuration.fromMap(o);
    }

    /** Writes the day into a topic in order, per partition, at about {@code perSecond} records a second (0: at once). */
    private static void feed(String topic, int perSecond) {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka().bootstrapServers());
        p.put("acks", "all");
        p.put("delivery.timeout.ms", "300000"); // rides out a broker restart
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            long start = System.nanoTime();
            for (int i = 0; i < input.size(); i++) {
                KafkaTestBroker.Out r = input.get(i);
                producer.send(new ProducerRecord<>(topic, r.partition(), r.key(), r.value()));
                long due = perSecond == 0 ? 0 : start + i * 1_000_000_000L / perSecond;
                long now = System.nanoTime();
                if (due > now + 2_000_000L) {
                    Thread.sleep((due - now) / 1_000_000L);
                }
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The four outputs as committed, their texts with the input topic's name replaced, so runs can be compared. */
    private static Map<String, List<String>> committed(String name) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String output : List.of("metrics", "alerts", "dead-letter", "late")) {
            List<ConsumerRecord<byte[], byte[]>> records =
                    kafka().readCommitted(name + "." + output, WAIT, r -> true);
            out.put(output, records.stream().map(r -> text(r).replace(name + ".scans", "INPUT")).toList());
        }
        return out;
    }

    private static String text(ConsumerRecord<byte[], byte[]> r) {
        StringBuilder s = new StringBuilder(new String(r.value(), StandardCharsets.UTF_8));
        for (Header h : r.headers()) {
            s.append(" | ").append(h.key()).append('=').append(new String(h.value(), StandardCharsets.UTF_8));
        }
        return s.toString();
    }

    private static void assertAccounted(Outcome o) {
        RunSummary s = o.summary();
        assertThat(s.input()).isEqualTo(input.size());
        assertThat(s.input()).isEqualTo(s.counted() + s.duplicates() + s.late() + s.invalid());
        assertThat(s.invalid()).isEqualTo(o.outputs().get("dead-letter").size());
        assertThat(s.late()).isEqualTo(o.outputs().get("late").size());
    }


    @FunctionalInterface
    private interface Check {
        boolean holds() throws Exception;
    }

    private static void await(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (check.holds()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("waited " + WAIT + " for: " + what);
    }
}
