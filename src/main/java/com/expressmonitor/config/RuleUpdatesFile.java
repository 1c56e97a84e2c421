package com.expressmonitor.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A rules-updates file ({@code --rules-updates FILE}): the changes of the alert rules made on a day, for a replay of
 * that day. A YAML (or JSON) list of updates, each with its version and the event time {@code from} which it applies:
 *
 * <pre>
 * - {version: 1, from: "2026-11-11T18:00:00+08:00", alerts: {defaults: {STATION: {backlog: {yellow: 1500}}}}}
 * - version: 2
 *   from: "2026-11-11T20:00:00+08:00"
 *   district: {code: "330482", capacity-per-hour: {SORTING_CENTER: 26000}}
 * </pre>
 *
 * Versions must increase and times must not go back. The whole file is checked at start-up: every update is applied
 * in turn to the rules before it, starting from the configuration file's, and the first bad one stops the run with
 * its position and the configuration key at fault.
 */
public final class RuleUpdatesFile {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private RuleUpdatesFile() {}

    /**
     * Reads and checks the file.
     *
     * @param start the rules the updates apply to (the configuration file's)
     * @throws ConfigException {@code rules updates file F, updates[I]: ...}, naming the key at fault
     */
    public static List<RuleUpdate> read(Path file, Rules start) {
        String where = "rules updates file " + file;
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(file));
        } catch (IOException e) {
            throw ConfigException.withMessage(where + " cannot be read: " + e.getMessage());
        }
        if (root == null || root.isNull() || root.isMissingNode()) {
            return List.of();
        }
        if (!root.isArray()) {
            throw ConfigException.withMessage(where + " must be a list of updates, each "
                    + "{version, from, alerts | districts | district | peak-seasons}");
        }
        List<RuleUpdate> updates = new ArrayList<>();
        Rules rules = start;
        long lastVersion = 0;
        long lastFrom = Long.MIN_VALUE;
        for (int i = 0; i < root.size(); i++) {
            String at = where + ", updates[" + i + "]";
            try {
                RuleUpdate u = RuleUpdate.parse(root.get(i), true, true);
                if (u.version() <= lastVersion) {
                    throw new ConfigException("version", "must be above the version before it (" + lastVersion + ")");
                }
                if (u.from() < lastFrom) {
                    throw new ConfigException("from", "is before the from of the update before it; list the updates "
                            + "in time order");
                }
                rules = u.applyTo(rules);
                updates.add(u);
                lastVersion = u.version();
                lastFrom = u.from();
            } catch (ConfigException e) {
                throw e.within(at);
            }
        }
        return List.copyOf(updates);
    }
}
