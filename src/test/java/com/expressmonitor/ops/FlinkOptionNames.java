package com.expressmonitor.ops;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.FallbackKey;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The names of the Flink options declared in some option classes ({@code CheckpointingOptions} and the like): the
 * current name of each, and the older names Flink still reads in its place. A misspelt option is silently ignored
 * by Flink, so a deployment's configuration is checked against these names.
 */
final class FlinkOptionNames {
    private final Set<String> current;
    private final Map<String, String> currentByOldName;

    private FlinkOptionNames(Set<String> current, Map<String, String> currentByOldName) {
        this.current = current;
        this.currentByOldName = currentByOldName;
    }

    /** The options that the public static {@link ConfigOption} fields of {@code optionClasses} declare. */
    static FlinkOptionNames of(Class<?>... optionClasses) {
        Set<String> current = new HashSet<>();
        Map<String, String> currentByOldName = new HashMap<>();
        for (Class<?> options : optionClasses) {
            for (Field field : options.getFields()) {
                if (!Modifier.isStatic(field.getModifiers()) || !ConfigOption.class.isAssignableFrom(field.getType())) {
                    continue;
                }
                ConfigOption<?> option;
                try {
                    option = (ConfigOption<?>) field.get(null);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
                current.add(option.key());
                for (FallbackKey old : option.fallbackKeys()) {
                    currentByOldName.put(old.getKey(), option.key());
                }
            }
        }
        return new FlinkOptionNames(current, currentByOldName);
    }

    boolean isCurrent(String key) {
        return current.contains(key);
    }

    boolean isOld(String key) {
        return currentByOldName.containsKey(key) && !current.contains(key);
    }

    /** The current name of {@code key}: itself unless it is an older name of an option. */
    String current(String key) {
        return isOld(key) ? currentByOldName.get(key) : key;
    }
}
