package com.expressmonitor.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.expressmonitor.testing.DayEnd;
import com.expressmonitor.testing.Topics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The operator's path, end to end, through the scripts an operator runs and real processes: a Kafka broker
 * ({@code jobs/start-kafka.sh}), a Flink session cluster with the JobManager and a TaskManager in their own JVMs
 * ({@code jobs/flink-cluster.sh}), the job jar submitted, stopped and resumed through the REST API
 * ({@code jobs/flink-job.sh}), a seeded day fed at a steady pace with {@code jobs/generate-to-kafka.sh}, and the
 * embedded live stack ({@code jobs/generate-to-kafka.sh --live}, {@code jobs/run-kafka.sh}).
 *
 * <p>Runs after {@code mvn package} (failsafe, {@code mvn verify}): it needs the two jars.
 */
class ClusterOperationsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MINUTES_3 = Duration.ofMinutes(3);
    private static final String GROUP = "ops-monitor";

    @TempDir
    static Path work;

    private static Scripts scripts;
    private static Topics topics;
    private static String restUrl;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void startBrokerAndCluster(TestInfo test) {
        // ClusterOperationsChangelogIT runs the same path on a cluster configured for the changelog state backend.
        boolean changelog = test.getTestClass().filter(ClusterOperationsChangelogIT.class::equals).isPresent();
        start(changelog ? ClusterOperationsChangelogIT.clusterSettings(work) : "");
    }

    /** Starts the broker and the cluster, with {@code clusterSettings} (YAML lines) added to the cluster's. */
    private static void start(String clusterSettings) {
        int kafkaPort = Scripts.freePort();
        scripts = new Scripts(work.resolve("logs"))
                .env("KAFKA_DIR", work.resolve("kafka").toString())
                .env("KAFKA_PORT", String.valueOf(kafkaPort))
                .env("KAFKA_CONTROLLER_PORT", String.valueOf(Scripts.freePort()))
                .env("FLINK_LOCAL_DIR", work.resolve("flink").toString())
                .env("FLINK_REST_PORT", String.valueOf(Scripts.freePort()))
                .env("FLINK_RPC_PORT", String.valueOf(Scripts.freePort()))
                .env("MONITOR_REST_PORT", String.valueOf(Scripts.freePort()))
                // A lost TaskManager is noticed after a few seconds instead of Flink's default 50 s.
                .env("FLINK_CONF_EXTRA", "heartbeat.interval: 1s\nheartbeat.timeout: 6s" + clusterSettings);
        restUrl = "http://localhost:" + scripts.env("FLINK_REST_PORT");
        topics = new Topics("localhost:" + kafkaPort);
        scripts.run(MINUTES_3, "start-kafka.sh", "--partitions", "4").ok();
        scripts.run(MINUTES_3, "flink-cluster.sh", "start").ok();
    }

    @AfterAll
    static void stopClusterAndBroker() throws IOException {
        if (scripts != null) {
            scripts.run(MINUTES_3, "flink-cluster.sh", "stop");
            scripts.run(MINUTES_3, "stop-kafka.sh");
        }
        keepLogs();
        if (scripts != null) {
            // Every process's local files (RocksDB's instances among them) went with it.
            assertThat(work.resolve("flink/work")).isEmptyDirectory();
        }
    }

    /** The processes' logs and the scripts' output stay under target/ for a look after the run. */
    private static void keepLogs() throws IOException {
        Path keep = Scripts.ROOT.resolve("target/ops-logs/" + ClusterOperationsIT.class.getSimpleName());
        for (Path from : List.of(work.resolve("flink/log"), work.resolve("logs"), work.resolve("kafka"))) {
            if (!Files.isDirectory(from)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(from, 1)) {
                for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().endsWith("_LOG"))
                        .toList()) {
                    Path to = keep.resolve(from.getFileName()).resolve(f.getFileName());
                    Files.createDirectories(to.getParent());
                    Files.copy(f, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** The monitor's options of the cluster job, and of the uninterrupted run it is compared with. */
    private static List<String> jobOptions(String prefix, String group) {
        return new ArrayList<>(List.of(
                "--config", "config/demo.yaml", "--source", "kafka", "--sink", "kafka",
                "--kafka.bootstrap-servers", "localhost:" + scripts.env("KAFKA_PORT"),
                "--kafka.group-id", group,
                "--kafka.topics.scan-events", "ops.scans",
                "--kafka.topics.district-metrics", prefix + ".metrics",
                "--kafka.topics.alerts", prefix + ".alerts",
                "--kafka.topics.dead-letter", prefix + ".dead-letter",
                "--kafka.topics.late-events", prefix + ".late",
                // The input pauses between its two parts: no partition may be passed over as idle meanwhile.
                "--watermark.idleness", "0",
                "--flink.execution.checkpointing.interval", "2s",
                "--alerts.defaults.SORTING_CENTER.backlog.yellow", "60",
                "--alerts.defaults.SORTING_CENTER.backlog.red", "120",
                "--alerts.defaults.STATION.backlog.yellow", "40",
                "--alerts.defaults.STATION.backlog.red", "80"));
    }

    @Test
    void aJobSurvivesALostTaskManagerAndAStopAndResumeAtAnotherParallelismWithNothingLostOrTwice() throws Exception {
        for (String prefix : List.of("ops", "golden")) {
            List<String> o = jobOptions(prefix, GROUP);
            scripts.run(MINUTES_3, "create-topics.sh", Stream.concat(Stream.of("--partitions", "4"),
                    o.subList(6, 20).stream()).toArray(String[]::new)).ok();
        }

        // Submit at parallelism 2; a seeded day two days ahead (its outputs must not be refused for their future
        // windows) is fed at a steady pace all through the faults below, so that they hit a job at work.
        Scripts.Result submitted = scripts.run(MINUTES_3, "flink-job.sh",
                Stream.concat(Stream.of("submit", "--parallelism", "2"), jobOptions("ops", GROUP).stream())
                        .toArray(String[]::new)).ok();
        String job1 = group(submitted.out(), "submitted job ([0-9a-f]{32}) at parallelism 2: RUNNING");
        Process feed = scripts.start(Scripts.ROOT, "generate-to-kafka.sh", "--rate", "600", "--parcels", "8000",
                "--seed", "7", "--day", LocalDate.now().plusDays(2).toString(), "--config", "config/demo.yaml",
                "--kafka.topics.scan-events", "ops.scans");
        await("outputs are committed", () -> !topics.readCommitted("ops.metrics").isEmpty());

        // A lost machine: the TaskManager is killed and a new one started; the job restores its last checkpoint.
        scripts.run(MINUTES_3, "flink-cluster.sh", "taskmanager", "restart", "1", "--kill").ok();
        // Said only once the new TaskManager has joined, its local files in its own folder under the cluster's (not
        // the system's temporary folder, where the killed one's would have stayed).
        assertThat(work.resolve("flink/work/taskmanager-1")).isDirectoryContaining("glob:**/tm_*");
        await("job restored after the lost TaskManager", () -> state(job1).equals("RUNNING") && restored(job1) >= 1);
        long after = completed(job1);
        await("a checkpoint after the restore", () -> completed(job1) > after);

        // Stop with a savepoint; resume from it (the newest retained state) at parallelism 1 with the same options.
        // Invalid scans arrive all through the stop, so that its savepoint holds an open transaction with records (its
        // dead letters), which the resume finds committed (asserted at the end); the windows alone may write nothing
        // for seconds. The uninterrupted run reads the same topic and dead-letters them alike.
        AtomicBoolean stopping = new AtomicBoolean(true);
        AtomicReference<Exception> sendFailed = new AtomicReference<>();
        Thread invalidScans = new Thread(() -> {
            while (stopping.get()) {
                try {
                    topics.send("ops.scans", Map.of(0, "{\"not\": \"a scan\"}".getBytes(StandardCharsets.UTF_8)));
                    Thread.sleep(20);
                } catch (Exception e) {
                    sendFailed.set(e); // said below, rather than as counts that do not add up at the end
                    return;
                }
            }
        });
        invalidScans.start();
        Thread.sleep(3_000);
        Scripts.Result stopped;
        try {
            stopped = scripts.run(MINUTES_3, "flink-job.sh", "stop", job1).ok();
        } finally {
            stopping.set(false);
            invalidScans.join();
        }
        assertThat(sendFailed.get()).as("sending invalid scans during the stop").isNull();
        String savepoint = group(stopped.out(), "stopped job " + job1 + "; savepoint: (\\S+)");
        assertThat(state(job1)).isEqualTo("FINISHED");
        assertThat(feed.isAlive()).as("the feed outlasts the faults").isTrue();
        Scripts.Result resumed = scripts.run(MINUTES_3, "flink-job.sh", "resume", "--parallelism", "1").ok();
        String job2 = group(resumed.out(), "submitted job ([0-9a-f]{32}) at parallelism 1, restored from \\S+: RUNNING");
        assertThat(group(resumed.out(), "restored from (\\S+): RUNNING").replaceAll("/$", ""))
                .isEqualTo(savepoint.replace("file:/", "file:///").replaceAll("/$", ""));
        resumedFrom(resumed.out());

        // The rest of the day, then a stop that drains: every window is closed, emitted and committed.
        assertThat(feed.waitFor(3, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
        assertThat(feed.exitValue()).isZero();
        // With no idleness, a partition whose last scan is far behind another's would hold that one paused short
        // of its tail (see DayEnd): every partition gets a scan at the end of the day, as the next day would bring.
        topics.send("ops.scans", DayEnd.scans(topics.valuesByPartition("ops.scans")));
        await("the input is read and checkpointed", () -> lag() == 0);
        scripts.run(MINUTES_3, "flink-job.sh", "stop", job2, "--drain").ok();
        assertThat(state(job2)).isEqualTo("FINISHED");
        // The operator's savepoint is still there to go back to, after the resumed job's checkpoints.
        assertThat(Path.of(URI.create(savepoint.replace("file:/", "file:///")).getPath()).resolve("_metadata"))
                .isRegularFile();

        // The same input in one uninterrupted bounded run of the runnable jar.
        List<String> golden = jobOptions("golden", "ops-golden");
        golden.addAll(List.of("--kafka.bounded", "true", "--kafka.starting-offsets", "earliest", "--parallelism", "2"));
        scripts.run(MINUTES_3, "run-kafka.sh", golden.toArray(String[]::new)).ok();

        for (String output : List.of("metrics", "alerts", "dead-letter", "late")) {
            List<String> expected = sorted(topics.readCommitted("golden." + output));
            List<String> actual = sorted(topics.readCommitted("ops." + output));
            assertThat(actual).as(output).containsExactlyElementsOf(expected);
            assertThat(new HashSet<>(actual)).as(output + ": no record twice").hasSize(actual.size());
        }
        assertThat(topics.readCommitted("golden.metrics")).hasSizeGreaterThan(100);
        assertThat(topics.readCommitted("golden.alerts")).hasSizeGreaterThan(5);

        // The restores logged no error: the transactions of the restored checkpoints that were committed before are
        // recognised as such instead of being committed again.
        List<String> taskManagerLog = taskManagerLogLines();
        assertThat(taskManagerLog).filteredOn(l -> l.contains(" ERROR ")).isEmpty();
        assertThat(taskManagerLog).anyMatch(l -> l.contains("was committed before the restore; not committing it again"));
    }

    /** What the resume said beyond the job and the savepoint: nothing, on a cluster whose restores do not claim. */
    void resumedFrom(String out) {
        assertThat(out).doesNotContain("claimed:");
    }

    @Test
    void aRefusedSubmissionIsPrintedWithTheClustersMessageAndTheClusterStaysUp() {
        Scripts.Result badSetting = scripts.run(MINUTES_3, "flink-job.sh", "submit", "--window.size", "7m");
        assertThat(badSetting.exit()).isEqualTo(1);
        assertThat(badSetting.errLines()).first().isEqualTo("flink-job: the cluster refused the job: configuration key "
                + "'window.size': must be positive and divide 24 hours exactly, got 7m");

        Scripts.Result badOption = scripts.run(MINUTES_3, "flink-job.sh", "submit", "--parallelism", "zero");
        assertThat(badOption.exit()).isEqualTo(2);
        assertThat(badOption.errLines()).containsExactly(
                "flink-job: --parallelism must be a whole number of at least 1, got 'zero'");

        Scripts.Result noSavepoint = scripts.run(MINUTES_3, "flink-job.sh", "resume", "--from",
                work.resolve("no-such-savepoint").toUri().toString(), "--config", "config/demo.yaml");
        assertThat(noSavepoint.exit()).isEqualTo(1);
        assertThat(noSavepoint.errLines()).first().asString().startsWith("flink-job: the cluster refused the job: ");

        assertThat(scripts.run(MINUTES_3, "flink-cluster.sh", "status").ok().out()).contains("jobmanager: running");
    }

    @Test
    void theLiveLocalStackWritesAlertsAndMetricsAndKeepsRunning() throws Exception {
        // The README's stack, with this test's ports and folders and thresholds low enough for a short run.
        scripts.run(MINUTES_3, "generate-to-kafka.sh", "--live", "--max-events", "30000").ok();
        Process monitor = scripts.start(Scripts.ROOT, "run-kafka.sh",
                "--kafka.bootstrap-servers", "localhost:" + scripts.env("KAFKA_PORT"),
                "--alerts.defaults.STATION.backlog.yellow", "5", "--alerts.defaults.STATION.backlog.red", "10",
                "--alerts.defaults.SORTING_CENTER.backlog.yellow", "5",
                "--alerts.defaults.SORTING_CENTER.backlog.red", "10");
        try {
            try {
                await("alerts and metrics are committed", () -> !topics.readCommitted("express.alerts").isEmpty()
                        && !topics.readCommitted("express.district-metrics").isEmpty());
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; the monitor is " + (monitor.isAlive() ? "running" : "gone")
                        + ", its log ends:\n" + tail(work.resolve("kafka/monitor.log"), 40), e);
            }
            assertThat(monitor.isAlive()).isTrue();
            JsonNode jobs = get("http://localhost:" + scripts.env("MONITOR_REST_PORT") + "/jobs/overview").path("jobs");
            assertThat(jobs).hasSize(1);
            assertThat(jobs.get(0).path("state").asText()).isEqualTo("RUNNING");
            String id = jobs.get(0).path("jid").asText();
            assertThat(get("http://localhost:" + scripts.env("MONITOR_REST_PORT") + "/jobs/" + id + "/exceptions")
                    .path("exceptionHistory").path("entries")).isEmpty();
        } finally {
            // Gone before the next test: the golden run of another test takes the same web UI port.
            List<ProcessHandle> children = monitor.descendants().toList();
            children.forEach(ProcessHandle::destroy);
            monitor.destroy();
            if (!monitor.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                children.forEach(ProcessHandle::destroyForcibly);
                monitor.destroyForcibly().waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }

    /** The last {@code n} lines of a log, for a failure's message. */
    private static String tail(Path log, int n) {
        try (Stream<String> lines = Files.lines(log)) {
            List<String> all = lines.toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - n), all.size()));
        } catch (IOException | java.io.UncheckedIOException e) {
            return "(" + log + " cannot be read: " + e.getMessage() + ")";
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static long lag() throws Exception {
        return topics.lag(GROUP, "ops.scans");
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    private static String state(String job) throws Exception {
        return get(restUrl + "/jobs/" + job).path("state").asText();
    }

    private static long restored(String job) throws Exception {
        return get(restUrl + "/jobs/" + job + "/checkpoints").path("counts").path("restored").asLong();
    }

    private static long completed(String job) throws Exception {
        return get(restUrl + "/jobs/" + job + "/checkpoints").path("counts").path("completed").asLong();
    }

    @FunctionalInterface
    private interface Check {
        boolean holds() throws Exception;
    }

    private static void await(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + MINUTES_3.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (check.holds()) {
                    return;
                }
            } catch (Exception e) {
                last = e; // the cluster may be between states
            }
            Thread.sleep(500);
        }
        throw new AssertionError("waited 3 minutes for: " + what, last);
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new AssertionError("no line matching '" + regex + "' in:\n" + text);
        }
        return m.group(1);
    }

    private static List<String> sorted(List<String> lines) {
        List<String> s = new ArrayList<>(lines);
        Collections.sort(s);
        return s;
    }

    static List<String> taskManagerLogLines() throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(work.resolve("flink/log"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("taskmanager-")
                    && f.getFileName().toString().contains(".log")).toList()) {
                lines.addAll(Files.readAllLines(f));
            }
        }
        return lines;
    }
}
