package com.expressmonitor.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.expressmonitor.testing.KafkaTestBroker;

import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The monitor as a user starts it, in a process of its own: what it prints for help, version, a mistyped option,
 * a missing input, an unusable or non-empty output folder, Kafka that cannot be reached or lacks a topic, and a
 * replay of the sample file. Each message is one exact line, with the exit status of the documented contract and
 * no stack trace.
 */
class CommandLineMessagesITCase {
    @RegisterExtension
    static final KafkaTestBroker.PerClass KAFKA = new KafkaTestBroker.PerClass();

    @TempDir
    Path dir;

    /** What a finished process left: its exit status, standard output and standard error. */
    record Run(int exit, List<String> out, List<String> err, long millis) {
        String firstErr() {
            return err.isEmpty() ? "" : err.get(0);
        }
    }

    /**
     * The command that starts the monitor with {@code javaOptions} and {@code args}, on the test's classpath after
     * {@code classpathFirst}.
     */
    static List<String> command(List<String> classpathFirst, List<String> javaOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens")).forEach(command::add);
        List<String> cp = new ArrayList<>(classpathFirst);
        cp.add(System.getProperty("java.class.path"));
        // The runnable jar's logging, not that of Flink's test jars on the test classpath (which turns it off).
        command.add("-Dlog4j.configurationFile=" + Path.of("src/main/resources/log4j2.properties").toAbsolutePath());
        command.addAll(javaOptions);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, cp));
        command.add(ExpressTrafficMonitor.class.getName());
        command.addAll(Arrays.asList(args));
        return command;
    }

    static Run run(List<String> classpathFirst, String... args) throws Exception {
        List<String> command = command(classpathFirst, List.of(), args);
        Path out = Files.createTempFile("monitor-out", ".txt");
        Path err = Files.createTempFile("monitor-err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("NO_COLOR");
        long start = System.nanoTime();
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the monitor did not end within 3 minutes: " + command);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        Run r = new Run(p.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8),
                Files.readAllLines(err, StandardCharsets.UTF_8), millis);
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    static Run run(String... args) throws Exception {
        return run(List.of(), args);
    }

    /** An error: exactly the expected line first, no stack trace anywhere, nothing on standard output. */
    private static void assertError(Run r, int exit, String line) {
        assertThat(r.firstErr()).isEqualTo(line);
        assertThat(r.exit()).isEqualTo(exit);
        assertNoStackTrace(r);
        assertThat(r.out()).isEmpty();
    }

    private static void assertNoStackTrace(Run r) {
        assertThat(Stream.concat(r.out().stream(), r.err().stream()))
                .noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception"));
    }

    @Test
    void helpListsEveryOptionWithAnExample() throws Exception {
        for (String flag : new String[] {"--help", "-h"}) {
            Run r = run(flag);
            assertThat(r.exit()).isZero();
            assertThat(r.err()).isEmpty();
            assertThat(r.out().get(0))
                    .isEqualTo("Usage: java -jar express-traffic-monitor.jar [--config FILE] [--source S] [--sink S] [options]");
            for (String option : CommandLine.OPTIONS) {
                assertThat(r.out()).as(option).anyMatch(l -> l.startsWith("  --" + option + " ")
                        || l.startsWith("  --" + option + ",") || l.contains("--generator.") && option.startsWith("generator."));
            }
            assertThat(r.out()).contains("Exit status: 0 done, 2 bad usage or configuration, 1 the run failed.");
        }
    }

    @Test
    void versionNamesTheMonitorFlinkKafkaAndJava() throws Exception {
        Path meta = Files.createDirectories(dir.resolve("meta/META-INF/maven/com.expressmonitor/express-traffic-monitor"));
        Files.writeString(meta.resolve("pom.properties"), "version=9.9.9-test\n");
        Run r = run(List.of(dir.resolve("meta").toString()), "--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).containsExactly("express-traffic-monitor 9.9.9-test (Apache Flink "
                + EnvironmentInformation.getVersion() + ", Kafka clients " + AppInfoParser.getVersion() + ", Java "
                + System.getProperty("java.version") + ")");
        assertThat(run("--version").out().get(0)).startsWith("express-traffic-monitor development build (Apache Flink ");
    }

    @Test
    void aMistypedOptionIsAnsweredWithTheNearestValidOnes() throws Exception {
        assertError(run("--sourc", "file:x.jsonl"), 2,
                "express-traffic-monitor: unknown option --sourc; did you mean --source? (--help lists the options)");
        assertError(run("--paralelism", "2"), 2, "express-traffic-monitor: unknown option --paralelism; did you mean "
                + "--parallelism? (--help lists the options)");
        assertError(run("--source"), 2, "express-traffic-monitor: option --source needs a value, as in --source VALUE "
                + "(--help lists the options)");
        assertError(run("scans.jsonl"), 2, "express-traffic-monitor: unexpected argument 'scans.jsonl'; options are "
                + "written --name value (--help lists them)");
        assertError(run("--window.size", "7m"), 2, "express-traffic-monitor: configuration key 'window.size': must be "
                + "positive and divide 24 hours exactly, got 7m");
    }

    @Test
    void aMissingInputIsOneLine() throws Exception {
        Path missing = dir.resolve("missing.jsonl");
        assertError(run("--source", "file:" + missing, "--sink", "dir:" + dir.resolve("out")), 2,
                "express-traffic-monitor: input " + missing + " does not exist; give a JSON-lines file, or a folder of "
                        + "them, after --source file:");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void anOutputFolderThatIsAFileOrNotEmptyIsRefused() throws Exception {
        Path feed = Files.writeString(dir.resolve("feed.jsonl"), "");
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertError(run("--source", "file:" + feed, "--sink", "dir:" + file), 2,
                "express-traffic-monitor: output folder " + file + " is a file; give a folder after --sink dir:");
        assertError(run("--source", "file:" + feed, "--sink", "dir:" + file.resolve("sub")), 2,
                "express-traffic-monitor: cannot create output folder " + file.resolve("sub") + ": part of the path is "
                        + "a file; choose another folder after --sink dir:");

        Path used = Files.createDirectories(dir.resolve("used/alerts"));
        Files.writeString(used.resolve("part-0.jsonl"), "{}\n");
        assertError(run("--source", "file:" + feed, "--sink", "dir:" + dir.resolve("used")), 2,
                "express-traffic-monitor: output folder " + dir.resolve("used") + " is not empty; add --overwrite to "
                        + "replace it, or choose another folder");
        Files.writeString(dir.resolve("used/notes.txt"), "mine");
        assertError(run("--source", "file:" + feed, "--sink", "dir:" + dir.resolve("used"), "--overwrite"), 2,
                "express-traffic-monitor: output folder " + dir.resolve("used") + " holds files that are not results "
                        + "of this monitor (notes.txt), so --overwrite does not replace it; choose another folder");
        assertThat(dir.resolve("used/notes.txt")).exists();
    }

    @Test
    void unreachableKafkaIsOneLineWithinTheTimeLimit() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Run r = run("--source", "kafka", "--sink", "dir:" + dir.resolve("out"), "--kafka.bootstrap-servers",
                "localhost:" + port);
        assertError(r, 1, "express-traffic-monitor: cannot reach Kafka at localhost:" + port + " (kafka.bootstrap-servers)"
                + " within 30 s; is the broker running? Start one with jobs/start-kafka.sh, or give its address with "
                + "--kafka.bootstrap-servers HOST:PORT");
        assertThat(r.millis()).isLessThan(45_000);
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void aMissingTopicIsNamedWithItsKey() throws Exception {
        String servers = KAFKA.broker().bootstrapServers();
        KAFKA.broker().createTopic("missing.alert-rules", 1);
        assertError(run("--source", "kafka", "--sink", "dir:" + dir.resolve("out"), "--kafka.bootstrap-servers", servers,
                        "--kafka.topics.scan-events", "no.such.topic", "--kafka.topics.alert-rules",
                        "missing.alert-rules"), 2,
                "express-traffic-monitor: Kafka at " + servers + " has no topic no.such.topic (kafka.topics.scan-events);"
                        + " create it with jobs/create-topics.sh, or name an existing topic");
    }

    @Test
    void aBadRulesUpdatesFileIsOneLineNamingTheUpdateAndTheKey() throws Exception {
        Path rules = dir.resolve("rules-1111.yaml");
        Files.writeString(rules, """
                - {version: 1, from: "2026-11-11T18:00:00+08:00", district: {code: "330482", thresholds: {STATION: {backlog: {red: -5}}}}}
                """);
        assertError(run("--source", "file:samples/scans.jsonl", "--sink", "dir:" + dir.resolve("rules-out"),
                        "--rules-updates", rules.toString()), 2,
                "express-traffic-monitor: rules updates file " + rules + ", updates[0]: configuration key "
                        + "'districts[330482].thresholds.STATION.backlog.red': must not be negative, got -5");
        assertThat(dir.resolve("rules-out")).doesNotExist();
        assertError(run("--source", "file:samples/scans.jsonl", "--rules-updates", dir.resolve("none.yaml").toString()),
                2, "express-traffic-monitor: rules updates file " + dir.resolve("none.yaml") + " does not exist; give a "
                        + "YAML or JSON list of timed rule updates after --rules-updates");
        assertError(run("--source", "kafka", "--rules-updates", rules.toString()), 2, "express-traffic-monitor: "
                + "--rules-updates is for replays (--source file:PATH or generator); with --source kafka, send rule "
                + "updates to the control topic with jobs/rules.sh send");
    }

    @Test
    void theSampleReplaysIntoAFolderOnceAndAgainWithOverwrite() throws Exception {
        Path out = dir.resolve("out");
        String[] args = {"--config", "config/express-monitor.yaml", "--source", "file:samples/scans.jsonl", "--sink",
            "dir:" + out, "--parallelism", "2"};
        String summary = "wrote 6 metrics records, 2 alerts, 3 dead letters and 1 late event to " + out + "/; "
                + "input 126 = 120 counted + 2 duplicates + 1 late + 3 invalid";
        Run first = run(args);
        assertThat(first.exit()).isZero();
        assertThat(first.out()).containsExactly(summary);
        assertThat(first.firstErr()).isEqualTo("replaying samples/scans.jsonl into " + out + "/ (parallelism 2)");
        assertThat(first.err()).hasSize(2);
        assertThat(first.err().get(1)).matches("finished in \\d+\\.\\d s \\([\\d,]+ records/s\\)");
        assertNoStackTrace(first);

        assertError(run(args), 2, "express-traffic-monitor: output folder " + out + " is not empty; add --overwrite to "
                + "replace it, or choose another folder");

        List<String> again = new ArrayList<>(List.of(args));
        again.add("--overwrite");
        Run second = run(again.toArray(String[]::new));
        assertThat(second.exit()).isZero();
        assertThat(second.out()).containsExactly(summary);
        assertThat(lines(out.resolve("district-metrics"))).hasSize(6);
        assertThat(lines(out.resolve("alerts"))).containsExactlyInAnyOrder(
                "{\"alertId\":\"330482/STATION/STUCK/2025-10-15T09:05:00+08:00\",\"district\":\"330482\",\"districtName\":"
                        + "\"平湖市\",\"facilityType\":\"STATION\",\"kind\":\"STUCK\",\"status\":\"OPEN\",\"level\":\"YELLOW\","
                        + "\"previousLevel\":\"NONE\",\"value\":50,\"threshold\":50,\"windowStart\":\"2025-10-15T09:00:00+08:00\","
                        + "\"windowEnd\":\"2025-10-15T09:05:00+08:00\",\"season\":null,\"rulesVersion\":0}",
                "{\"alertId\":\"330482/STATION/STUCK/2025-10-15T09:05:00+08:00\",\"district\":\"330482\",\"districtName\":"
                        + "\"平湖市\",\"facilityType\":\"STATION\",\"kind\":\"STUCK\",\"status\":\"RESOLVED\",\"level\":\"NONE\","
                        + "\"previousLevel\":\"YELLOW\",\"value\":30,\"threshold\":45,\"windowStart\":\"2025-10-15T09:05:00+08:00\","
                        + "\"windowEnd\":\"2025-10-15T09:10:00+08:00\",\"season\":null,\"rulesVersion\":0}");
        assertThat(Files.readString(out.resolve("summary.json")).replaceAll("\\s", ""))
                .isEqualTo("{\"input\":126,\"counted\":120,\"duplicates\":2,\"late\":1,\"invalid\":3,\"metrics\":6,\"alerts\":2}");
    }

    /**
     * A permanent error (here the broker refuses every dead letter: its topic takes records of at most 300 bytes, and
     * the input topic holds a bad record of 1,000) makes the job fail again after every restart: each restart is
     * told in the log while it retries, and once the restart strategy gives up the run ends with one line naming the
     * cause, instead of restarting forever.
     */
    @Test
    void aRecordTheBrokerRefusesIsRetriedVisiblyThenEndsTheRunWithOneLine() throws Exception {
        KafkaTestBroker kafka = KAFKA.broker();
        kafka.createTopic("refused.dead-letter", 1, Map.of("max.message.bytes", "300"));
        for (String t : List.of("refused.scans", "refused.metrics", "refused.alerts", "refused.late", "refused.rules",
                "refused.rule-results")) {
            kafka.createTopic(t, 1);
        }
        kafka.produce("refused.scans", List.of(new KafkaTestBroker.Out(0, null,
                ("#" + "x".repeat(1_000)).getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        Run r = run("--config", "config/demo.yaml", "--source", "kafka", "--sink", "kafka",
                "--kafka.bootstrap-servers", kafka.bootstrapServers(), "--kafka.starting-offsets", "earliest",
                "--kafka.topics.scan-events", "refused.scans",
                "--kafka.topics.district-metrics", "refused.metrics", "--kafka.topics.alerts", "refused.alerts",
                "--kafka.topics.dead-letter", "refused.dead-letter", "--kafka.topics.late-events", "refused.late",
                "--kafka.topics.alert-rules", "refused.rules", "--kafka.topics.alert-rules-results", "refused.rule-results",
                "--flink.execution.checkpointing.interval", "500ms",
                "--flink.restart-strategy.type", "exponential-delay",
                "--flink.restart-strategy.exponential-delay.attempts-before-reset-backoff", "2",
                "--flink.restart-strategy.exponential-delay.initial-backoff", "100ms",
                "--flink.restart-strategy.exponential-delay.max-backoff", "200ms");
        assertThat(r.exit()).isEqualTo(1);
        // What the run was about to do, each restart as it happened (a warning in the log), then why it failed.
        assertThat(r.firstErr()).startsWith("reading refused.scans and rule updates from refused.rules at ");
        assertThat(r.err().subList(1, r.err().size() - 1)).as(String.join("\n", r.err())).hasSize(2)
                .allMatch(l -> l.matches(".* WARN .*ScanClassifier.* The job restarted from its last checkpoint after "
                        + "a failure \\(attempt \\d\\); after repeated failures it stops and says why"));
        assertThat(r.err().get(r.err().size() - 1)).isEqualTo("express-traffic-monitor: the run failed: "
                + "RecordTooLargeException: The request included a message larger than the max message size the server "
                + "will accept.; run again with --verbose for the stack trace");
    }

    /**
     * A live run stopped as a user stops it (Ctrl-C, a {@code kill}): the job is cancelled and the run's local files,
     * RocksDB's among them, are removed, with one line saying so; they used to stay in the temporary folder.
     */
    @Test
    void aStoppedLiveRunCancelsItsJobAndLeavesNoFilesBehind() throws Exception {
        KafkaTestBroker kafka = KAFKA.broker();
        kafka.createTopic("stopped.scans", 2);
        kafka.createTopic("stopped.rules", 1);
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(command(List.of(), List.of("-Djava.io.tmpdir=" + tmp),
                "--config", "config/express-monitor.yaml", "--source", "kafka", "--sink", "dir:" + dir.resolve("out"),
                "--parallelism", "2", "--kafka.bootstrap-servers", kafka.bootstrapServers(),
                "--kafka.topics.scan-events", "stopped.scans", "--kafka.topics.alert-rules", "stopped.rules",
                "--flink.execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString()))
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(err.toFile()).start();
        try {
            // Running: the parcel tracker's RocksDB instance is in the run's own folder.
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            Path folder = null;
            while (folder == null && System.nanoTime() < deadline && p.isAlive()) {
                folder = runFolderWithRocksDb(tmp);
                Thread.sleep(200);
            }
            assertThat(folder).as("the run's folder with RocksDB's files, in %s; standard error: %s", tmp,
                    Files.readString(err)).isNotNull();

            p.destroy(); // SIGTERM
            assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
            assertThat(p.exitValue()).isEqualTo(143); // 128 + SIGTERM, as the JVM ends on it
            List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8);
            assertThat(lines).containsExactly("reading stopped.scans and rule updates from stopped.rules at "
                    + kafka.bootstrapServers() + " until stopped (Ctrl-C) into " + dir.resolve("out")
                    + "/ (parallelism 2)",
                    "express-traffic-monitor: stopping: cancelling the job and removing its local files in " + folder
                            + "; " + dir.resolve("out") + "/ keeps only what was committed before the stop");
            try (Stream<Path> left = Files.list(tmp)) {
                assertThat(left.map(f -> f.getFileName().toString()))
                        .noneMatch(n -> n.startsWith("express-traffic-monitor-") || n.startsWith("minicluster_"));
            }
        } finally {
            p.destroyForcibly();
        }
    }

    /** The run's folder under {@code tmp} once RocksDB has opened an instance in it, or null. */
    private static Path runFolderWithRocksDb(Path tmp) throws Exception {
        try (Stream<Path> all = Files.walk(tmp)) {
            return all.filter(f -> f.getFileName().toString().equals("CURRENT"))
                    .map(f -> tmp.relativize(f).getName(0)).map(tmp::resolve)
                    .filter(f -> f.getFileName().toString().startsWith("express-traffic-monitor-"))
                    .findFirst().orElse(null);
        } catch (java.io.UncheckedIOException e) {
            return null; // a file vanished while listed: look again
        }
    }

    private static List<String> lines(Path folder) throws Exception {
        List<String> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path p : files.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList()) {
                all.addAll(Files.readAllLines(p, StandardCharsets.UTF_8));
            }
        }
        return all;
    }
}
