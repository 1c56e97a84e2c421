package com.expressmonitor.config;

/** A bad setting: the message names the configuration key and what is wrong with it. */
public class ConfigException extends RuntimeException {
    private final String key;

    public ConfigException(String key, String problem) {
        super("configuration key '" + key + "': " + problem);
        this.key = key;
    }

    private ConfigException(String message, String key, boolean whole) {
        super(message);
        this.key = key;
    }

    /** A problem that no single key names (a rule update that is not JSON, or changes nothing): the whole message. */
    public static ConfigException withMessage(String message) {
        return new ConfigException(message, null, true);
    }

    /** The same problem, with where it was found put in front, e.g. {@code rules updates file F, updates[2]: }. */
    public ConfigException within(String where) {
        return new ConfigException(where + ": " + getMessage(), key, true);
    }

    /** The key named, or null. */
    public String key() {
        return key;
    }
}
