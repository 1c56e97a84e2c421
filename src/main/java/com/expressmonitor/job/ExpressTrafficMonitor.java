package com.expressmonitor.job;

import com.expressmonitor.config.ArgumentPairs.UsageException;
import com.expressmonitor.config.ConfigException;
import com.expressmonitor.config.ConfigLoader;
import com.expressmonitor.config.KafkaSettings;
import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.config.RuleUpdate;
import com.expressmonitor.config.RuleUpdatesFile;
import com.expressmonitor.event.ScanParser;
import com.expressmonitor.generator.GeneratorSettings;
import com.expressmonitor.generator.GeneratorSource;
import com.expressmonitor.generator.NetworkModel;
import com.expressmonitor.io.ConsoleOutputs;
import com.expressmonitor.io.DirectoryOutputs;
import com.expressmonitor.io.KafkaIo;
import com.expressmonitor.io.KafkaPreflight;
import com.expressmonitor.io.OutputJson;
import com.expressmonitor.io.Outputs;
import com.expressmonitor.io.ReplayFileSource;
import com.expressmonitor.io.StartupCheckException;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The Express Traffic Monitor job: the class a Flink cluster runs and the runnable jar's entry point. With no
 * arguments it simulates a Double-11 day on an embedded mini cluster and prints alerts and a district summary.
 *
 * <p>What a user can get wrong (options, configuration, input, output folder, Kafka) is checked before the job is
 * built and reported as one line on standard error, {@code express-traffic-monitor: WHAT; WHAT TO DO}, with exit
 * status 2 (bad usage or configuration) or 1 (the run could not be done or failed); {@code --verbose} adds the
 * stack trace. A run that ends prints what it wrote where, and the accounting of its input, on standard output.
 */
public final class ExpressTrafficMonitor {
    /** The demo's configuration, bundled in the jar from {@code config/demo.yaml}. */
    static final String DEMO_CONFIG = "/config/demo.yaml";
    static final String NAME = "express-traffic-monitor";

    private ExpressTrafficMonitor() {}

    public static void main(String[] args) throws Exception {
        PrintStream out = utf8(FileDescriptor.out);
        PrintStream err = utf8(FileDescriptor.err);
        int status = execute(args, out, err, submittedToCluster());
        out.flush();
        err.flush();
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * True when a Flink client or cluster runs this main() (a REST or CLI submission, application mode) rather than
     * {@code java -jar}: exiting would take that process (the JobManager, for a REST submission) down with it.
     */
    static boolean submittedToCluster() {
        return !(StreamExecutionEnvironment.getExecutionEnvironment() instanceof LocalStreamEnvironment);
    }

    /** A run refused or failed inside a cluster: the one line a local run prints, as the submission's error. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message); // no cause: the cluster's answer then ends with this line, not with an inner detail
        }
    }

    static int execute(String[] args, PrintStream out, PrintStream err) {
        return execute(args, out, err, false);
    }

    /**
     * Runs the command line and returns the exit status: 0 done, 2 bad usage or configuration, 1 failed. Inside a
     * cluster ({@code inCluster}) a refusal or failure is thrown instead, so that the submission fails with it.
     */
    static int execute(String[] args, PrintStream out, PrintStream err, boolean inCluster) {
        boolean verbose = Arrays.asList(args).contains("--verbose");
        CommandLine cli;
        MonitorConfig config;
        try {
            cli = CommandLine.parse(args);
            if (cli.help()) {
                out.print(CommandLine.HELP);
                return 0;
            }
            if (cli.version()) {
                out.println(version());
                return 0;
            }
            config = cli.demo() || (cli.config() == null && cli.source().equals("generator"))
                    ? ConfigLoader.loadResource(DEMO_CONFIG, cli.overrides())
                    : ConfigLoader.load(cli.config(), cli.overrides());
        } catch (ConfigException | UsageException e) {
            return fail(err, 2, e.getMessage(), e, verbose, inCluster);
        }
        if (cli.demo()) {
            out.println("Express Traffic Monitor: simulating Double-11 (2026-11-11) across "
                    + config.districts().size() + " districts on an embedded Flink cluster. Alerts as they happen:\n");
        }
        RunSummary summary;
        try {
            summary = run(cli, config, err);
        } catch (ConfigException | UsageException e) {
            return fail(err, 2, e.getMessage(), e, verbose, inCluster);
        } catch (StartupCheckException e) {
            return fail(err, e.exitCode(), e.getMessage(), e, verbose, inCluster);
        } catch (LocalWorkingFolder.Stopped e) {
            return 130; // the process is stopping on a signal, whose exit status it ends with
        } catch (Exception e) {
            return fail(err, 1, "the run failed: " + rootCause(e) + "; run again with --verbose for the stack trace",
                    e, verbose, inCluster);
        }
        if (summary != null) {
            for (String line : finalLines(cli, config, summary)) {
                out.println(line);
            }
            if (!cli.demo()) {
                err.println(summary.duration());
            }
        }
        return 0;
    }

    private static int fail(PrintStream err, int status, String message, Throwable e, boolean verbose,
            boolean inCluster) {
        if (inCluster) {
            throw new Refused(message);
        }
        err.println(NAME + ": " + message);
        if (verbose) {
            e.printStackTrace(err);
        }
        return status;
    }

    /** Builds and executes the job; returns the run's summary when the input was bounded and the job ended. */
    public static RunSummary run(CommandLine cli, MonitorConfig config) throws Exception {
        return run(cli, config, utf8(FileDescriptor.err));
    }

    static RunSummary run(CommandLine cli, MonitorConfig config, PrintStream err) throws Exception {
        boolean local = StreamExecutionEnvironment.getExecutionEnvironment() instanceof LocalStreamEnvironment;
        // On by default on a terminal, except for the console sink, whose lines already show how the run goes.
        boolean progress = local && (cli.progress() != null ? cli.progress()
                : System.console() != null && !cli.sink().equals("console"));
        Configuration flink = flinkConfiguration(config);
        if (progress && !config.flink().containsKey("heartbeat.interval")) {
            // Accumulators reach the client with the task managers' heartbeats: report them every 2 s, not 10 s.
            flink.setString("heartbeat.interval", "2000");
        }
        if (cli.sink().equals("kafka")) {
            KafkaIo.checkpointingDefaults(flink, config.flink()); // exactly-once output commits on checkpoints
        }
        if (local) {
            restartDefaults(flink, config.flink());
        }
        LocalWorkingFolder work = local ? LocalWorkingFolder.create(flink, config.flink(), err) : null;
        try {
            return buildAndRun(cli, config, flink, progress, work, err);
        } finally {
            if (work != null) {
                work.ended();
            }
        }
    }

    /**
     * Checks what the run needs, builds the job and runs it; {@code work} is the embedded run's folder, or null when
     * the job goes to a cluster.
     */
    private static RunSummary buildAndRun(CommandLine cli, MonitorConfig config, Configuration flink, boolean progress,
            LocalWorkingFolder work, PrintStream err) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        boolean kafka = cli.source().equals("kafka") || cli.sink().equals("kafka");
        if (kafka && env instanceof LocalStreamEnvironment && !KafkaIo.missingEnvironmentVariables(config.kafka()).isEmpty()) {
            // In a local run the Kafka clients run in this process: a secret that is not here will not be there.
            throw new ConfigException("kafka.properties", "refers to environment variables that are not set: "
                    + String.join(", ", KafkaIo.missingEnvironmentVariables(config.kafka())));
        }
        if (cli.parallelism() != null) {
            env.setParallelism(cli.parallelism());
        }
        if (cli.source().startsWith("file:")) {
            checkInput(cli.source().substring(5));
        }
        if (kafka) {
            // Also waits until the topics' partitions are served: in topics created a moment ago, a transaction's batch
            // into a partition not yet served would fail the transaction and restart the job at its start.
            KafkaPreflight.check(config.kafka(), KafkaPreflight.neededTopics(config.kafka(),
                    cli.source().equals("kafka"), cli.sink().equals("kafka")), KafkaPreflight.TIMEOUT);
        }
        RuleInput rules = rules(cli, config);
        if (cli.sink().startsWith("dir:")) {
            // Last of the checks, because it creates (or, with --overwrite, replaces) the folder.
            DirectoryOutputs.prepare(cli.sink().substring(4), cli.overwrite());
        }
        ScanParser parser = new ScanParser(config.facilities(), config.maxFutureMillis());
        ScanInput input = input(cli, config, parser);
        OutputJson json = new OutputJson(config.zoneOffsetSeconds());
        Outputs outputs;
        if (cli.sink().equals("console")) {
            outputs = ConsoleOutputs.create(config.zoneOffsetSeconds(), !cli.demo(), cli.showRecords(),
                    ConsoleOutputs.colourWanted());
        } else if (cli.sink().startsWith("dir:")) {
            outputs = DirectoryOutputs.create(cli.sink().substring(4), json);
        } else {
            outputs = KafkaIo.outputs(config, json);
        }
        MonitorPipeline.build(env, config, input, rules, outputs);
        if (!cli.demo()) {
            err.println(startLine(cli, config, env.getParallelism()));
        }
        String jobName = "Express Traffic Monitor (" + cli.source() + " -> " + cli.sink() + ")";
        JobExecutionResult result;
        if (work != null) {
            JobClient job = env.executeAsync(jobName);
            // A stop of the process cancels the job and removes the run's files. The output folder keeps the part
            // files that checkpoints committed (and the sink's hidden ones in progress): part of the results.
            work.watch(job, cli.sink().startsWith("dir:") ? "; " + folder(cli.sink().substring(4))
                    + " keeps only what was committed before the stop" : "");
            try (ProgressReporter reporter = progress ? ProgressReporter.start(job, err, config.zoneOffset()) : null) {
                result = job.getJobExecutionResult().get();
            } catch (java.util.concurrent.ExecutionException e) {
                if (work.stopping()) {
                    throw new LocalWorkingFolder.Stopped(); // cancelled by the stop: not a failure
                }
                throw e;
            }
        } else {
            result = env.execute(jobName);
        }
        if (!result.isJobExecutionResult()) {
            return null; // detached submission: the job runs on
        }
        RunSummary summary = RunSummary.of(result);
        if (cli.sink().startsWith("dir:")) {
            summary.writeJson(Path.of(cli.sink().substring(4)));
        }
        return summary;
    }

    /**
     * How an embedded run restarts after a failure, unless the {@code flink:} section says: from its last checkpoint
     * with growing pauses (1 s up to 1 min), and after ten failures in a row without ten good minutes between them it
     * gives up and the run fails with the cause, instead of restarting forever (Flink's default with checkpoints) while
     * writing nothing. A cluster's own configuration decides there.
     */
    static void restartDefaults(Configuration flink, Map<String, String> flinkSection) {
        if (flinkSection.keySet().stream().anyMatch(k -> k.startsWith("restart-strategy"))) {
            return;
        }
        flink.setString("restart-strategy.type", "exponential-delay");
        flink.setString("restart-strategy.exponential-delay.initial-backoff", "1s");
        flink.setString("restart-strategy.exponential-delay.max-backoff", "1min");
        flink.setString("restart-strategy.exponential-delay.backoff-multiplier", "2.0");
        flink.setString("restart-strategy.exponential-delay.reset-backoff-threshold", "10min");
        flink.setString("restart-strategy.exponential-delay.attempts-before-reset-backoff", "10");
    }

    /** What the run is about to do, on standard error, so that a long run does not start in silence. */
    static String startLine(CommandLine cli, MonitorConfig config, int parallelism) {
        KafkaSettings k = config.kafka();
        String from = cli.source().startsWith("file:") ? "replaying " + cli.source().substring(5)
                : cli.source().equals("kafka") ? "reading " + k.scanEventsTopic()
                        + (k.alertRulesTopic() == null ? "" : " and rule updates from " + k.alertRulesTopic()) + " at "
                        + k.bootstrapServers() + (k.bounded() ? " up to their current end" : " until stopped (Ctrl-C)")
                : "simulating " + cli.generator().getOrDefault("day", GeneratorSettings.DEMO.day());
        if (cli.rulesUpdates() != null) {
            from += " with the rule updates of " + cli.rulesUpdates();
        }
        String to = cli.sink().startsWith("dir:") ? "into " + folder(cli.sink().substring(4))
                : cli.sink().equals("kafka") ? "into the topics " + k.districtMetricsTopic() + ", " + k.alertsTopic()
                        + ", " + k.deadLetterTopic() + ", " + k.lateEventsTopic() + ", " + k.alertRulesResultsTopic()
                : "to the console";
        return from + " " + to + " (parallelism " + parallelism + ")";
    }

    /** The lines printed on standard output when a run has ended. */
    static java.util.List<String> finalLines(CommandLine cli, MonitorConfig config, RunSummary s) {
        java.util.List<String> lines = new java.util.ArrayList<>();
        if (cli.sink().equals("console")) {
            if (!s.districts().isEmpty()) {
                lines.add(s.table());
            }
            lines.addAll(ConsoleOutputs.countLines(s.deadLetterCounts(), s.lateCounts()));
            lines.add("done: " + s.written() + "; " + s.accounting());
        } else if (cli.sink().startsWith("dir:")) {
            lines.add("wrote " + s.written() + " to " + folder(cli.sink().substring(4)) + "; " + s.accounting());
        } else {
            KafkaSettings k = config.kafka();
            lines.add("wrote " + RunSummary.count(s.metrics(), "metrics record", "metrics records") + " to "
                    + k.districtMetricsTopic() + ", " + RunSummary.count(s.alerts(), "alert", "alerts") + " to "
                    + k.alertsTopic() + ", " + RunSummary.count(s.invalid(), "dead letter", "dead letters") + " to "
                    + k.deadLetterTopic() + " and " + RunSummary.count(s.late(), "late event", "late events") + " to "
                    + k.lateEventsTopic() + " at " + k.bootstrapServers() + "; " + s.accounting());
        }
        return lines;
    }

    private static String folder(String dir) {
        return dir.endsWith("/") ? dir : dir + "/";
    }

    /**
     * Refuses a local replay input that is missing or cannot be read, naming it; other file systems are left to
     * the source.
     */
    static void checkInput(String path) {
        if (path.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*") && !path.startsWith("file://")) {
            return;
        }
        Path p = Path.of(path.startsWith("file://") ? java.net.URI.create(path).getPath() : path);
        String what = "; give a JSON-lines file, or a folder of them, after --source file:";
        if (!Files.exists(p)) {
            throw new StartupCheckException(2, "input " + path + " does not exist" + what);
        }
        if (!Files.isReadable(p)) {
            throw new StartupCheckException(2, "input " + path + " cannot be read (permission denied)" + what);
        }
        if (Files.isDirectory(p)) {
            try (Stream<Path> files = Files.list(p)) {
                Path unreadable = files.filter(f -> !f.getFileName().toString().startsWith(".")
                                && !f.getFileName().toString().startsWith("_") && Files.isRegularFile(f)
                                && !Files.isReadable(f)).sorted().findFirst().orElse(null);
                if (unreadable != null) {
                    throw new StartupCheckException(2, "input file " + unreadable + " cannot be read (permission denied)"
                            + what);
                }
            } catch (IOException e) {
                throw new StartupCheckException(2, "input folder " + path + " cannot be listed: " + e.getMessage() + what, e);
            }
        }
    }

    /**
     * The innermost cause of a failure, as {@code Type: message}: a failed job comes wrapped in execution,
     * recovery and task exceptions whose messages say only that it failed.
     */
    static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String type = t.getClass().getSimpleName();
        return t.getMessage() == null || t.getMessage().isBlank() ? type : type + ": " + firstLine(t.getMessage());
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** {@code express-traffic-monitor 1.0.0 (Apache Flink 2.2.1, Kafka clients 4.2.0, Java 17.0.15)}. */
    static String version() {
        return NAME + " " + ownVersion() + " (Apache Flink " + org.apache.flink.runtime.util.EnvironmentInformation.getVersion()
                + ", Kafka clients " + org.apache.kafka.common.utils.AppInfoParser.getVersion() + ", Java "
                + System.getProperty("java.version") + ")";
    }

    /** From the jar's Maven metadata; a build from the source tree without a jar says so. */
    static String ownVersion() {
        try (InputStream in = ExpressTrafficMonitor.class.getResourceAsStream(
                "/META-INF/maven/com.expressmonitor/express-traffic-monitor/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.isBlank()) {
                    return v;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String v = ExpressTrafficMonitor.class.getPackage().getImplementationVersion();
        return v != null ? v : "development build";
    }

    private static PrintStream utf8(FileDescriptor fd) {
        return new PrintStream(new FileOutputStream(fd), true, StandardCharsets.UTF_8);
    }

    /**
     * Where the run's rule updates come from: the control topic with {@code --source kafka} (unless
     * {@code kafka.topics.alert-rules} is null), a rules-updates file (checked here, in full, so that a bad update
     * stops the run before it starts), or nothing.
     */
    static RuleInput rules(CommandLine cli, MonitorConfig config) {
        if (cli.source().equals("kafka")) {
            return config.kafka().alertRulesTopic() == null ? RuleInput.none(cli.rulesResetToFile())
                    : RuleInput.kafka(config.kafka(), cli.rulesResetToFile());
        }
        Path file = cli.rulesUpdates();
        if (file == null) {
            return RuleInput.none(cli.rulesResetToFile());
        }
        String what = "; give a YAML or JSON list of timed rule updates after --rules-updates";
        if (!Files.exists(file)) {
            throw new StartupCheckException(2, "rules updates file " + file + " does not exist" + what);
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new StartupCheckException(2, "rules updates file " + file + " cannot be read" + what);
        }
        java.util.List<RuleUpdate> updates = RuleUpdatesFile.read(file, config.rules());
        return RuleInput.timed(updates, file.getFileName().toString(), cli.rulesResetToFile());
    }

    static ScanInput input(CommandLine cli, MonitorConfig config, ScanParser parser) {
        if (cli.source().startsWith("file:")) {
            String path = cli.source().substring(5);
            try {
                return new ScanInput(ReplayFileSource.of(path, parser), false, "Replay " + path, "source-file");
            } catch (IllegalArgumentException | UncheckedIOException e) {
                throw new StartupCheckException(2, "cannot read input " + path + ": " + e.getMessage()
                        + "; give a JSON-lines file, or a folder of them, after --source file:", e);
            }
        }
        if (cli.source().equals("kafka")) {
            return new ScanInput(KafkaIo.source(config, parser), true, "Kafka " + config.kafka().scanEventsTopic(),
                    "source-kafka");
        }
        Map<String, String> g = cli.generator();
        GeneratorSettings d = GeneratorSettings.DEMO;
        GeneratorSettings settings;
        try {
            settings = new GeneratorSettings(
                    Long.parseLong(g.getOrDefault("seed", String.valueOf(d.seed()))),
                    Long.parseLong(g.getOrDefault("parcels", String.valueOf(d.parcels()))),
                    LocalDate.parse(g.getOrDefault("day", d.day())).toString());
        } catch (RuntimeException e) {
            throw new ConfigException("generator", "seed and parcels must be whole numbers and day a date yyyy-MM-dd");
        }
        return new ScanInput(new GeneratorSource(settings, NetworkModel.from(config), config.zoneOffsetSeconds(), parser), false,
                "Generator " + settings.day(), "source-generator");
    }

    /** Flink options from the {@code flink:} section over the topology's defaults; generic types always off. */
    static Configuration flinkConfiguration(MonitorConfig config) {
        Map<String, String> options = new HashMap<>(MonitorPipeline.flinkDefaults());
        options.putAll(config.flink());
        options.put("pipeline.generic-types", "false");
        return Configuration.fromMap(options);
    }
}
