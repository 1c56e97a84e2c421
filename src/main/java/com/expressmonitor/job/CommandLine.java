package com.expressmonitor.job;

import com.expressmonitor.config.ArgumentPairs;
import com.expressmonitor.config.ArgumentPairs.UsageException;
import com.expressmonitor.config.ConfigException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The command line: {@code --config FILE}, {@code --source S}, {@code --sink S}, {@code --parallelism N},
 * {@code --generator.seed|parcels|day V}, the flags of {@link #HELP}, and any {@code --dotted.key value}
 * configuration override. An option that is neither, nor in a configuration section, is refused with the nearest
 * valid names.
 *
 * @param progress true or false when {@code --progress} was given, null to decide by whether stderr is a terminal
 * @param showRecords print every dead letter and late event on the console instead of their counts at the end
 * @param rulesUpdates a rules-updates file of timed rule updates for a replay, or null
 * @param rulesResetToFile put the configuration file's rules back in force, whatever a savepoint or the control
 *     topic say
 */
public record CommandLine(
        Path config,
        String source,
        String sink,
        Integer parallelism,
        Map<String, String> generator,
        Map<String, String> overrides,
        boolean demo,
        boolean help,
        boolean version,
        boolean verbose,
        boolean overwrite,
        Boolean progress,
        boolean showRecords,
        Path rulesUpdates,
        boolean rulesResetToFile) {

    /** Options that take no value. */
    static final Set<String> FLAGS = Set.of("help", "version", "verbose", "overwrite", "rules-reset-to-file");

    /** The monitor's own options (not configuration keys), for the nearest-name suggestions. */
    static final List<String> OPTIONS = List.of("config", "source", "sink", "parallelism", "overwrite", "progress",
            "show-records", "verbose", "help", "version", "generator.seed", "generator.parcels", "generator.day",
            "rules-updates", "rules-reset-to-file");

    /** The configuration's sections: an option under one of them is a configuration override. */
    private static final Set<String> SECTIONS = Set.of("window", "watermark", "validation", "parcel", "sla", "alerts",
            "districts", "peak-seasons", "facilities", "flink", "kafka");

    /** The options as {@code --help} lists them: option, meaning, example. */
    private static final String[][] OPTION_ROWS = {
        {"--config FILE", "YAML configuration (built-in defaults without it)", "--config config/express-monitor.yaml"},
        {"--source S", "scans from: generator, file:PATH, kafka", "--source file:samples/scans.jsonl"},
        {"--sink S", "results to: console, dir:PATH (JSON lines), kafka", "--sink dir:out"},
        {"--overwrite", "let dir:PATH replace an earlier run's results", "--sink dir:out --overwrite"},
        {"--parallelism N", "parallel tasks of the job", "--parallelism 4"},
        {"--generator.parcels N", "parcels the simulation sends (default 60000)", "--generator.parcels 5000"},
        {"--generator.day DATE", "the simulated local day (default 2026-11-11)", "--generator.day 2026-06-18"},
        {"--generator.seed N", "seed of the simulation (default 11)", "--generator.seed 7"},
        {"--show-records B", "console: a line per dead letter and late event", "--show-records true"},
        {"--rules-updates FILE", "replays: timed changes of the alert rules", "--rules-updates rules-1111.yaml"},
        {"--rules-reset-to-file", "put the --config file's alert rules back in force", "--rules-reset-to-file"},
        {"--progress B", "progress lines on stderr (default: on a terminal)", "--progress false"},
        {"--verbose", "with an error, also print its stack trace", "--verbose"},
        {"--help, -h", "this help", "--help"},
        {"--version", "versions of the monitor, Flink, Kafka and Java", "--version"},
        {"--KEY VALUE", "set a configuration key", "--window.size 15m"},
        {"--flink.KEY VALUE", "set a Flink option", "--flink.state.backend.type rocksdb"},
        {"--kafka.properties.KEY V", "set a Kafka client property", "--kafka.properties.security.protocol SSL"},
    };

    /** What {@code --help} prints. */
    public static final String HELP = helpText();

    private static String helpText() {
        StringBuilder b = new StringBuilder("""
                Usage: java -jar express-traffic-monitor.jar [--config FILE] [--source S] [--sink S] [options]

                Follows parcel scans and reports, per district and facility type, arrivals, departures, backlog and
                stuck parcels in event-time windows, with yellow and red alerts. With no options at all it simulates
                a Double-11 day and prints its alerts (the demo).

                Options:                                                                        example
                """);
        for (String[] row : OPTION_ROWS) {
            b.append(String.format("  %-26s %-50s %s%n", row[0], row[1], row[2]));
        }
        return b.append("""

                Examples:
                  java -jar target/express-traffic-monitor.jar
                  java -jar target/express-traffic-monitor.jar --config config/express-monitor.yaml \\
                      --source file:samples/scans.jsonl --sink dir:out

                Exit status: 0 done, 2 bad usage or configuration, 1 the run failed.
                Options and configuration keys: src/site/markdown/configuration.md; input and outputs: data.md.
                """).toString();
    }

    public static CommandLine parse(String[] args) {
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                return flagsOnly(true, false);
            }
            if (a.equals("--version")) {
                return flagsOnly(false, true);
            }
        }
        Path config = null;
        String source = null;
        String sink = null;
        Integer parallelism = null;
        boolean verbose = false;
        boolean overwrite = false;
        Boolean progress = null;
        boolean showRecords = false;
        Path rulesUpdates = null;
        boolean rulesReset = false;
        boolean onlyPresentation = true;
        Map<String, String> generator = new LinkedHashMap<>();
        Map<String, String> overrides = new LinkedHashMap<>();
        for (Map.Entry<String, String> pair : ArgumentPairs.parse(args, FLAGS).entrySet()) {
            String key = pair.getKey();
            String value = pair.getValue();
            boolean presentation = false;
            switch (key) {
                case "config" -> config = Path.of(value);
                case "source" -> source = value;
                case "sink" -> sink = value;
                case "verbose" -> {
                    verbose = bool(key, value);
                    presentation = true;
                }
                case "overwrite" -> overwrite = bool(key, value);
                case "rules-updates" -> rulesUpdates = Path.of(value);
                case "rules-reset-to-file" -> rulesReset = bool(key, value);
                case "progress" -> {
                    progress = bool(key, value);
                    presentation = true;
                }
                case "show-records" -> {
                    showRecords = bool(key, value);
                    presentation = true;
                }
                case "parallelism" -> {
                    try {
                        parallelism = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        parallelism = -1;
                    }
                    if (parallelism < 1) {
                        throw new ConfigException("parallelism", "must be a whole number of at least 1, got '" + value + "'");
                    }
                }
                default -> {
                    if (key.startsWith("generator.")) {
                        String g = key.substring("generator.".length());
                        if (!g.equals("seed") && !g.equals("parcels") && !g.equals("day")) {
                            throw new ConfigException(key, "unknown generator option; use generator.seed, generator.parcels or generator.day");
                        }
                        generator.put(g, value);
                    } else if (SECTIONS.contains(key.split("\\.", 2)[0])
                            && (key.contains(".") || key.equals("facilities"))) {
                        overrides.put(key, value);
                    } else {
                        throw unknown(key);
                    }
                }
            }
            onlyPresentation &= presentation;
        }
        boolean demo = onlyPresentation;
        if (source == null) {
            source = "generator";
        }
        if (sink == null) {
            sink = "console";
        }
        if (!source.equals("generator") && !source.equals("kafka") && !source.startsWith("file:")) {
            throw new ConfigException("source", "must be generator, file:PATH or kafka, got '" + source + "'");
        }
        if (!sink.equals("console") && !sink.equals("kafka") && !sink.startsWith("dir:")) {
            throw new ConfigException("sink", "must be console, dir:PATH or kafka, got '" + sink + "'");
        }
        if (source.equals("file:") || sink.equals("dir:")) {
            throw new ConfigException(source.equals("file:") ? "source" : "sink", "needs a path after the colon");
        }
        if (overwrite && !sink.startsWith("dir:")) {
            throw new UsageException("--overwrite only applies to --sink dir:PATH");
        }
        if (rulesUpdates != null && source.equals("kafka")) {
            throw new UsageException("--rules-updates is for replays (--source file:PATH or generator); with --source "
                    + "kafka, send rule updates to the control topic with jobs/rules.sh send");
        }
        return new CommandLine(config, source, sink, parallelism, Map.copyOf(generator), overrides, demo, false, false,
                verbose, overwrite, progress, showRecords, rulesUpdates, rulesReset);
    }

    private static CommandLine flagsOnly(boolean help, boolean version) {
        return new CommandLine(null, "generator", "console", null, Map.of(), Map.of(), false, help, version, false,
                false, null, false, null, false);
    }

    private static boolean bool(String key, String value) {
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new UsageException("option --" + key + " takes true or false, got '" + value + "'");
    }

    /** The error for an option that is neither the monitor's nor under a configuration section. */
    static UsageException unknown(String key) {
        List<String> valid = new ArrayList<>(OPTIONS);
        valid.addAll(configKeys());
        String hint = ArgumentPairs.didYouMean(ArgumentPairs.nearest(key, valid));
        return new UsageException("unknown option --" + key + "; "
                + (hint.isEmpty() ? "--help lists the options" : hint + " (--help lists the options)"));
    }

    /** Every configuration key of the built-in defaults, dotted (for suggestions; lists and open mappings left out). */
    static Set<String> configKeys() {
        Set<String> keys = new TreeSet<>();
        try (InputStream in = CommandLine.class.getResourceAsStream("/express-monitor-defaults.yaml")) {
            flatten("", new ObjectMapper(new YAMLFactory()).readTree(in), keys);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        keys.add("districts");
        keys.add("peak-seasons");
        return keys;
    }

    private static void flatten(String prefix, JsonNode node, Set<String> into) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                flatten(prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(), f.getValue(), into);
            }
        } else if (!node.isArray()) {
            into.add(prefix);
        }
    }
}
