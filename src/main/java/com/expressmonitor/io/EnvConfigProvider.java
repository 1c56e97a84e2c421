package com.expressmonitor.io;

import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.provider.ConfigProvider;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Resolves the {@code ${ENV_VAR}} references of {@code kafka.properties} inside the Kafka clients themselves, when
 * a consumer, producer or admin client is created on a Flink worker. The job graph, the job's parameters and the
 * logs therefore only ever hold the reference, never the secret. A variable that is not set stops the client with
 * an error that names the variable (not a value).
 */
public final class EnvConfigProvider implements ConfigProvider {
    @Override
    public void configure(Map<String, ?> configs) {}

    @Override
    public ConfigData get(String path) {
        return new ConfigData(Map.of());
    }

    @Override
    public ConfigData get(String path, Set<String> keys) {
        Map<String, String> values = new HashMap<>();
        for (String key : keys) {
            String value = System.getenv(key);
            if (value == null) {
                throw new ConfigException("kafka.properties refers to the environment variable " + key
                        + ", which is not set in this process's environment");
            }
            values.put(key, value);
        }
        return new ConfigData(values);
    }

    @Override
    public void close() {}
}
