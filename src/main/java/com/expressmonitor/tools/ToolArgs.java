package com.expressmonitor.tools;

import com.expressmonitor.config.ArgumentPairs;
import com.expressmonitor.config.ConfigException;
import com.expressmonitor.config.ConfigLoader;
import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.io.KafkaIo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Command line of the Kafka tools: their own {@code --option value}s, plus {@code --config FILE} and
 * {@code --dotted.key value} overrides read exactly as the monitor reads them (so {@code kafka.*} is shared).
 */
final class ToolArgs {
    private static final ObjectMapper JSON = new ObjectMapper();

    final Map<String, String> options = new LinkedHashMap<>();
    final MonitorConfig config;

    private ToolArgs(Map<String, String> options, MonitorConfig config) {
        this.options.putAll(options);
        this.config = config;
    }

    static ToolArgs parse(String[] args, Set<String> toolOptions) {
        Map<String, String> options = new LinkedHashMap<>();
        Map<String, String> overrides = new LinkedHashMap<>();
        Path config = null;
        for (Map.Entry<String, String> pair : ArgumentPairs.parse(args).entrySet()) {
            String key = pair.getKey();
            String value = pair.getValue();
            if (key.equals("config")) {
                config = Path.of(value);
            } else if (toolOptions.contains(key)) {
                options.put(key, value);
            } else {
                overrides.put(key, value);
            }
        }
        return new ToolArgs(options, ConfigLoader.load(config, overrides));
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

    /** The waybill number of a scan record, as its key; null when the record is not a JSON object with one. */
    static byte[] waybillKey(byte[] value) {
        try {
            JsonNode node = JSON.readTree(value);
            JsonNode waybill = node == null ? null : node.get("waybillNo");
            return waybill != null && waybill.isTextual() ? waybill.asText().getBytes(StandardCharsets.UTF_8) : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** Runs a tool's main body; a configuration error ends it with status 2 and a message naming the key. */
    static void run(String tool, ThrowingBody body) {
        try {
            body.run();
        } catch (ConfigException e) {
            System.err.println(tool + ": " + e.getMessage());
            System.exit(2);
        } catch (Exception e) {
            System.err.println(tool + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
            System.exit(1);
        }
    }

    @FunctionalInterface
    interface ThrowingBody {
        void run() throws Exception;
    }
}
