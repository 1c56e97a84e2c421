package com.expressmonitor.job;

import com.expressmonitor.config.ArgumentPairs;
import com.expressmonitor.config.ConfigException;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The command line: {@code --config FILE}, {@code --source S}, {@code --sink S}, {@code --parallelism N},
 * {@code --generator.seed|parcels|day V}, and any {@code --dotted.key value} configuration override.
 */
public record CommandLine(
        Path config,
        String source,
        String sink,
        Integer parallelism,
        Map<String, String> generator,
        Map<String, String> overrides,
        boolean demo) {

    public static CommandLine parse(String[] args) {
        Path config = null;
        String source = null;
        String sink = null;
        Integer parallelism = null;
        Map<String, String> generator = new LinkedHashMap<>();
        Map<String, String> overrides = new LinkedHashMap<>();
        for (Map.Entry<String, String> pair : ArgumentPairs.parse(args).entrySet()) {
            String key = pair.getKey();
            String value = pair.getValue();
            switch (key) {
                case "config" -> config = Path.of(value);
                case "source" -> source = value;
                case "sink" -> sink = value;
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
                    } else {
                        overrides.put(key, value);
                    }
                }
            }
        }
        boolean demo = args.length == 0;
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
        return new CommandLine(config, source, sink, parallelism, generator, overrides, demo);
    }
}
