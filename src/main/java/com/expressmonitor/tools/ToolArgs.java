package com.expressmonitor.tools;

import com.expressmonitor.config.ArgumentPairs;
import com.expressmonitor.config.ArgumentPairs.UsageException;
import com.expressmonitor.config.ConfigException;
import com.expressmonitor.config.ConfigLoader;
import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.io.KafkaIo;
import com.expressmonitor.io.KafkaPreflight;
import com.expressmonitor.io.StartupCheckException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Command line of the tools: their own {@code --option value}s, plus {@code --config FILE} and
 * {@code --dotted.key value} overrides read exactly as the monitor reads them (so {@code kafka.*} is shared), and
 * {@code --help} and {@code --verbose}. Errors are one line, {@code TOOL: WHAT; WHAT TO DO}, with the monitor's
 * exit statuses: 0 done, 2 bad usage or configuration, 1 failed. A Kafka tool first checks, within 30 s, that the
 * cluster answers and has the input topic it writes to.
 */
final class ToolArgs {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SECTIONS = Set.of("window", "watermark", "validation", "parcel", "sla", "alerts",
            "districts", "peak-seasons", "facilities", "flink", "kafka");

    /** Each tool's help: what it does, its options, an example. */
    static final Map<String, String> USAGE = Map.of(
            "alert-rules", """
                    Usage: jobs/rules.sh show [options]
                           jobs/rules.sh send FILE [--version N] [--timeout 60s] [options]
                    The alert rules of the running monitor.
                      show            the rules in force (from kafka.topics.alert-rules-results), as YAML
                      send FILE       checks a rule update (YAML or JSON) against the rules in force, writes it to
                                      kafka.topics.alert-rules and waits for the monitor's answer
                      --version N     the update's version (default: its own, or one above the version in force)
                      --timeout D     how long to wait for the answer (default 60s)
                      --config FILE, --kafka.KEY VALUE   as for the monitor
                    Exit status of send: 0 applied, 2 the update fails the check (nothing sent), 1 rejected or
                    ignored by the monitor, or no answer in time.
                    Example: jobs/rules.sh send raise-pinghu.yaml
                    """,
            "create-topics", """
                    Usage: java -cp target/express-traffic-monitor.jar com.expressmonitor.tools.CreateTopics [options]
                    Creates the monitor's topics (names from kafka.topics.*) where they are missing: input and outputs
                    with --partitions partitions, the alert rules' control and results topics with one each.
                      --partitions N          partitions of each new input or output topic (default 4)
                      --replication-factor R  replicas of each new topic (default 1)
                      --config FILE, --kafka.KEY VALUE   as for the monitor, e.g. --kafka.bootstrap-servers HOST:PORT
                    Example: ... CreateTopics --kafka.bootstrap-servers localhost:9092 --partitions 4
                    """,
            "read-topic", """
                    Usage: java -cp target/express-traffic-monitor.jar com.expressmonitor.tools.ReadTopic --topic T [options]
                    Prints a topic's records from the start as a read_committed consumer: partition/offset, key, value.
                      --topic T       alerts, district-metrics, dead-letter, late-events, scan-events, or a topic name
                      --follow B      keep reading new records (default false: stop at the end)
                      --max N         stop after N records
                      --config FILE, --kafka.KEY VALUE   as for the monitor
                    Example: ... ReadTopic --topic alerts --follow true
                    """,
            "replay-to-kafka", """
                    Usage: java -cp target/express-traffic-monitor.jar com.expressmonitor.tools.ReplayToKafka --file F [options]
                    Writes a JSON-lines scan file into the input topic (kafka.topics.scan-events), one record per line.
                      --file F        the JSON-lines file
                      --rate N        records per second (default: as fast as the broker takes them)
                      --config FILE, --kafka.KEY VALUE   as for the monitor
                    Example: ... ReplayToKafka --file samples/scans.jsonl --rate 2000
                    """,
            "generate-to-kafka", """
                    Usage: java -cp target/express-traffic-monitor.jar com.expressmonitor.tools.GenerateToKafka [options]
                    Writes the built-in simulation's scans into the input topic.
                      --live            follow the clock: event times near now; the simulated day started
                                        --hours-before hours ago (its scans so far are sent at once), then one
                                        day follows the other until stopped
                      --hours-before N  with --live: hours of the simulated day before now (default 21)
                      --rate N          without --live: one simulated day at N events per second (default 2000)
                      --day DATE        without --live: the simulated local day (default today)
                      --parcels N       parcels of a simulated day (default 60000)
                      --seed N          seed of the simulation (default 11)
                      --max-events N    stop after N events
                      --config FILE, --kafka.KEY VALUE   as for the monitor
                    Examples: ... GenerateToKafka --live
                              ... GenerateToKafka --rate 2000 --day 2026-11-11
                    """,
            "generate-to-file", """
                    Usage: java -cp target/express-traffic-monitor.jar com.expressmonitor.tools.GenerateToFile --out PATH [options]
                    Writes the built-in simulation's scans as JSON lines, in the order a feed would deliver them.
                      --out PATH      the file to write; with --splits N above 1 a folder of part-1.jsonl ... part-N.jsonl
                      --parcels N     parcels of the simulated day (default 60000)
                      --day DATE      the simulated local day (default 2026-11-11)
                      --seed N        seed of the simulation (default 11)
                      --splits N      write N files, each a share of the parcels, for a replay of many files (default 1)
                      --overwrite     replace what --out names
                      --config FILE   the districts to simulate (default: those of the demo)
                    Example: ... GenerateToFile --parcels 5000 --day 2026-11-11 --seed 7 --out scans-5000.jsonl
                    """);

    /** The tool running in this thread (set by {@link #run}) and whether it should print stack traces. */
    private static final ThreadLocal<String> TOOL = new ThreadLocal<>();
    private static final ThreadLocal<Boolean> VERBOSE = ThreadLocal.withInitial(() -> false);

    final Map<String, String> options = new LinkedHashMap<>();
    final MonitorConfig config;

    private ToolArgs(Map<String, String> options, MonitorConfig config) {
        this.options.putAll(options);
        this.config = config;
    }

    /** {@code --help}: the tool prints its usage and ends with status 0. */
    static final class HelpRequested extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    static ToolArgs parse(String[] args, Set<String> toolOptions) {
        return parse(args, toolOptions, Set.of());
    }

    /**
     * @param toolOptions the tool's options that take a value
     * @param toolFlags the tool's options that take none ({@code --overwrite}); they read as {@code "true"}
     */
    static ToolArgs parse(String[] args, Set<String> toolOptions, Set<String> toolFlags) {
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                throw new HelpRequested();
            }
        }
        Map<String, String> options = new LinkedHashMap<>();
        Map<String, String> overrides = new LinkedHashMap<>();
        Path config = null;
        Set<String> flags = new java.util.HashSet<>(toolFlags);
        flags.add("verbose");
        for (Map.Entry<String, String> pair : ArgumentPairs.parse(args, flags).entrySet()) {
            String key = pair.getKey();
            String value = pair.getValue();
            if (key.equals("config")) {
                config = Path.of(value);
            } else if (key.equals("verbose")) {
                VERBOSE.set(Boolean.parseBoolean(value));
            } else if (toolOptions.contains(key) || toolFlags.contains(key)) {
                options.put(key, value);
            } else if (SECTIONS.contains(key.split("\\.", 2)[0]) && (key.contains(".") || key.equals("facilities"))) {
                overrides.put(key, value);
            } else {
                List<String> valid = new ArrayList<>(toolOptions);
                valid.addAll(toolFlags);
                valid.add("config");
                valid.add("kafka.bootstrap-servers");
                String hint = ArgumentPairs.didYouMean(ArgumentPairs.nearest(key, valid));
                throw new UsageException("unknown option --" + key + "; "
                        + (hint.isEmpty() ? "--help lists the options" : hint + " (--help lists the options)"));
            }
        }
        ToolArgs parsed = new ToolArgs(options, ConfigLoader.load(config, overrides));
        String tool = TOOL.get();
        boolean kafkaTool = tool != null
                && (tool.endsWith("-to-kafka") || tool.equals("create-topics") || tool.equals("read-topic"));
        if (kafkaTool) {
            // The tools that write scans need their topic (and only it: the rules topic is the job's business).
            Map<String, String> topics = tool.endsWith("-to-kafka")
                    ? Map.of("kafka.topics.scan-events", parsed.config.kafka().scanEventsTopic()) : Map.of();
            KafkaPreflight.check(parsed.config.kafka(), topics, KafkaPreflight.TIMEOUT);
        }
        return parsed;
    }

    String option(String key, String fallback) {
        return options.getOrDefault(key, fallback);
    }

    long longOption(String key, long fallback) {
        String v = options.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "must be a whole number, got '" + v + "'");
        }
    }

    /** Producer properties from the {@code kafka:} section (the same client properties as the monitor's). */
    Properties producerProperties() {
        Properties p = KafkaIo.clientProperties(config.kafka());
        p.setProperty("bootstrap.servers", config.kafka().bootstrapServers());
        p.putIfAbsent("acks", "all");
        p.putIfAbsent("enable.idempotence", "true");
        p.putIfAbsent("linger.ms", "20");
        p.putIfAbsent("compression.type", "lz4");
        return p;
    }

    /**
     * The waybill number of a scan record, as its key; null when the record is not a JSON object with one. Read with
     * the streaming parser, without building a tree: the tools that write scans into Kafka call it for every record.
     */
    static byte[] waybillKey(byte[] value) {
        try (JsonParser p = JSON.getFactory().createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String waybill = null;
            for (JsonToken token = p.nextToken(); token != JsonToken.END_OBJECT; token = p.nextToken()) {
                if (token != JsonToken.FIELD_NAME) {
                    return null; // not an object of fields (cannot happen in valid JSON)
                }
                boolean isWaybill = p.currentName().equals("waybillNo");
                JsonToken v = p.nextToken();
                if (isWaybill) {
                    waybill = v == JsonToken.VALUE_STRING ? p.getText() : null;
                } else {
                    p.skipChildren();
                }
            }
            // Anything after the object means the record is not one JSON object.
            return p.nextToken() == null && waybill != null ? waybill.getBytes(StandardCharsets.UTF_8) : null;
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * Runs a tool's main body: {@code --help} prints its usage (status 0); a bad option or setting ends it with
     * status 2 and a line naming it; any other failure with status 1 and a line naming its root cause.
     */
    static void run(String tool, ThrowingBody body) {
        int status = status(tool, body);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** What {@link #run} does, returning the exit status instead of exiting (for tests). */
    static int status(String tool, ThrowingBody body) {
        TOOL.set(tool);
        VERBOSE.set(false);
        try {
            body.run();
            return 0;
        } catch (HelpRequested e) {
            System.out.print(USAGE.getOrDefault(tool, tool + ": no help\n"));
            return 0;
        } catch (ConfigException | UsageException e) {
            return fail(tool, 2, e.getMessage(), e);
        } catch (StartupCheckException e) {
            return fail(tool, e.exitCode(), e.getMessage(), e);
        } catch (Delivery.NotWritten e) {
            return fail(tool, 1, e.getMessage(), e);
        } catch (Exception e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return fail(tool, 1, "failed: " + root.getClass().getSimpleName()
                    + (root.getMessage() == null ? "" : ": " + root.getMessage())
                    + "; run again with --verbose for the stack trace", e);
        } finally {
            TOOL.remove();
        }
    }

    private static int fail(String tool, int status, String message, Throwable e) {
        System.err.println(tool + ": " + message);
        if (VERBOSE.get()) {
            e.printStackTrace();
        }
        return status;
    }

    @FunctionalInterface
    interface ThrowingBody {
        void run() throws Exception;
    }
}
