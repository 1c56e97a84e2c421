package com.expressmonitor.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a command line of {@code --key value} (or {@code --key=value}) pairs, in order, for the job and the tools. */
public final class ArgumentPairs {
    private ArgumentPairs() {}

    /** The pairs by key (a repeated key keeps its last value); a stray word or a key without value names itself. */
    public static Map<String, String> parse(String[] args) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.length() == 2) {
                throw new ConfigException(a, "expected --key value");
            }
            String key = a.substring(2);
            int eq = key.indexOf('=');
            if (eq > 0) {
                pairs.put(key.substring(0, eq), key.substring(eq + 1));
            } else if (i + 1 < args.length) {
                pairs.put(key, args[++i]);
            } else {
                throw new ConfigException(key, "has no value");
            }
        }
        return pairs;
    }
}
