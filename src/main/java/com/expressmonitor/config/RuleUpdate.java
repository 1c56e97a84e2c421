package com.expressmonitor.config;

import com.expressmonitor.event.ScanParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.Serializable;
import java.util.Set;
import java.util.TreeSet;

/**
 * One change of the alert rules while a job runs: a version and new values for some of the rules' sections.
 *
 * <pre>
 * {"version": 3, "alerts": {"defaults": {"STATION": {"backlog": {"yellow": 1200}}}}}   merged key by key
 * {"version": 4, "districts": [{"code": "330482", ...}, ...]}                          the whole list
 * {"version": 5, "district": {"code": "330482", "capacity-per-hour": {...}}}          one district, added or replaced
 * {"version": 6, "peak-seasons": [{"name": "DOUBLE_11", ...}]}                         the whole list
 * </pre>
 *
 * Sections may be combined in one update ({@code district} not with {@code districts}). An update in a rules-updates
 * file for a replay also has {@code "from"}: the event time (ISO-8601 with an offset, or epoch milliseconds) from which
 * it applies. The new values are checked exactly like the configuration file's when the update is applied to the rules
 * in force ({@link #applyTo}); {@link #parse} checks the update's own form.
 */
public final class RuleUpdate implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("version", "from", "alerts", "districts", "district", "peak-seasons");

    private final Long version;
    private final Long from;
    private final ObjectNode body;

    private RuleUpdate(Long version, Long from, ObjectNode body) {
        this.version = version;
        this.from = from;
        this.body = body;
    }

    /**
     * Reads an update sent while the job runs (a control-topic record): a JSON object with a version and no
     * {@code from}.
     *
     * @throws ConfigException what is wrong with it, naming the key
     */
    public static RuleUpdate parseLive(String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            String why = e.getOriginalMessage();
            for (String noise : new String[] {"\n", " (start marker", " at [Source"}) {
                int cut = why.indexOf(noise);
                why = cut > 0 ? why.substring(0, cut) : why;
            }
            throw ConfigException.withMessage("the update is not JSON: " + why + (e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        }
        return parse(node, false, true);
    }

    /**
     * Reads an update from a tree (JSON or YAML).
     *
     * @param timed true for an update of a rules-updates file, which must have {@code from}; false for one sent
     *     while the job runs, which must not
     * @param versionRequired false to accept an update without a version (a tool gives it one before sending it)
     * @throws ConfigException what is wrong with it, naming the key
     */
    public static RuleUpdate parse(JsonNode node, boolean timed, boolean versionRequired) {
        if (!(node instanceof ObjectNode o)) {
            throw ConfigException.withMessage("the update must be a JSON object such as "
                    + "{\"version\": 3, \"alerts\": {...}}, got " + (node == null ? "nothing" : kind(node)));
        }
        o.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                throw new ConfigException(name, "unknown key; expected one of " + new TreeSet<>(FIELDS));
            }
        });
        Long version = null;
        JsonNode v = o.get("version");
        if (v != null && !v.isNull()) {
            version = version(v);
        } else if (versionRequired) {
            throw new ConfigException("version", "is missing; give a whole number above the version in force");
        }
        Long from = null;
        JsonNode f = o.get("from");
        if (f != null && !f.isNull()) {
            if (!timed) {
                throw new ConfigException("from", "applies only to the updates of a --rules-updates file; an update "
                        + "sent while the job runs takes effect when the job applies it");
            }
            from = time(f);
        } else if (timed) {
            throw new ConfigException("from", "is missing; give the event time from which the update applies, "
                    + "e.g. 2026-11-11T18:00:00+08:00");
        }
        if (!o.has("alerts") && !o.has("districts") && !o.has("district") && !o.has("peak-seasons")) {
            throw ConfigException.withMessage("the update changes nothing; give alerts, districts, district or "
                    + "peak-seasons");
        }
        if (o.has("district") && o.has("districts")) {
            throw new ConfigException("district", "cannot be combined with districts, which replaces the whole list");
        }
        ObjectNode body = o.deepCopy();
        body.remove("version");
        body.remove("from");
        return new RuleUpdate(version, from, body);
    }

    private static long version(JsonNode v) {
        if (v.isIntegralNumber() && v.canConvertToLong() && v.asLong() >= 1) {
            return v.asLong();
        }
        if (v.isTextual() && v.asText().trim().matches("[1-9]\\d{0,17}")) {
            return Long.parseLong(v.asText().trim());
        }
        throw new ConfigException("version", "must be a whole number of at least 1, got " + v);
    }

    private static long time(JsonNode f) {
        if (f.isIntegralNumber() && f.canConvertToLong()) {
            return f.asLong();
        }
        long t = f.isTextual() ? ScanParser.parseIsoTime(f.asText().trim()) : Long.MIN_VALUE;
        if (t == Long.MIN_VALUE) {
            throw new ConfigException("from", "'" + f.asText() + "' is not a time such as 2026-11-11T18:00:00+08:00 "
                    + "(with its offset) or epoch milliseconds");
        }
        return t;
    }

    private static String kind(JsonNode node) {
        return node.isArray() ? "a list" : node.isTextual() ? "a string" : node.isNumber() ? "a number"
                : node.isNull() ? "null" : node.getNodeType().name().toLowerCase();
    }

    /** The rules in force after this update, validated like the configuration file. */
    public Rules applyTo(Rules current) {
        return ConfigLoader.applyUpdate(current, this);
    }

    /** The same update with {@code version}. */
    public RuleUpdate withVersion(long version) {
        return new RuleUpdate(version, from, body);
    }

    /** The version, or null for an update read without one. */
    public Long version() {
        return version;
    }

    /** The event time from which a timed update applies (epoch ms), or null. */
    public Long from() {
        return from;
    }

    JsonNode alerts() {
        return body.get("alerts");
    }

    JsonNode districts() {
        return body.get("districts");
    }

    JsonNode district() {
        return body.get("district");
    }

    JsonNode peakSeasons() {
        return body.get("peak-seasons");
    }

    /** The update as one line of JSON, version first, as it is sent to the control topic. */
    public String toJson() {
        ObjectNode o = JSON.createObjectNode();
        if (version != null) {
            o.put("version", version);
        }
        if (from != null) {
            o.put("from", from);
        }
        o.setAll(body);
        return o.toString();
    }

    @Override
    public String toString() {
        return toJson();
    }
}
