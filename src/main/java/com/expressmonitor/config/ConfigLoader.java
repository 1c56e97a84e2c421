package com.expressmonitor.config;

import com.expressmonitor.event.FacilityInfo;
import com.expressmonitor.event.FacilityType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link MonitorConfig} from the built-in defaults, an optional YAML file and {@code --dotted.key value}
 * overrides, and rejects any bad or unknown setting with a message naming its key.
 */
public final class ConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEFAULTS = "/express-monitor-defaults.yaml";
    private static final long DAY = 86_400_000L;
    private static final Instant SINCE = Instant.parse("2000-01-01T00:00:00Z");

    private ConfigLoader() {}

    /** The built-in defaults only. */
    public static MonitorConfig defaults() {
        return load(null, Map.of());
    }

    /**
     * Loads the configuration.
     *
     * @param file a YAML file, or null for the built-in defaults alone
     * @param overrides dotted keys (without the leading dashes) and their values, applied last
     */
    public static MonitorConfig load(Path file, Map<String, String> overrides) {
        ObjectNode tree = readDefaults();
        Path baseDir = Path.of("").toAbsolutePath();
        if (file != null) {
            JsonNode user;
            try {
                user = YAML.readTree(file.toFile());
            } catch (IOException e) {
                throw new ConfigException("--config", "cannot read " + file + ": " + e.getMessage());
            }
            if (user != null && !user.isNull() && !user.isMissingNode()) {
                if (!user.isObject()) {
                    throw new ConfigException("--config", file + " is not a YAML mapping");
                }
                merge(tree, (ObjectNode) user);
            }
            Path parent = file.toAbsolutePath().getParent();
            baseDir = parent != null ? parent : baseDir;
        }
        Path facilitiesBase = baseDir;
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            applyOverride(tree, e.getKey(), e.getValue());
            if (e.getKey().equals("facilities")) {
                facilitiesBase = Path.of("").toAbsolutePath(); // a path given on the command line is relative to here
            }
        }
        return bind(tree, facilitiesBase);
    }

    /** Reads a YAML configuration from the classpath (the demo's bundled configuration). */
    public static MonitorConfig loadResource(String resource, Map<String, String> overrides) {
        ObjectNode tree = readDefaults();
        try (InputStream in = ConfigLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new ConfigException("--config", "no bundled configuration " + resource);
            }
            merge(tree, (ObjectNode) YAML.readTree(in));
        } catch (IOException e) {
            throw new ConfigException("--config", "cannot read " + resource + ": " + e.getMessage());
        }
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            applyOverride(tree, e.getKey(), e.getValue());
        }
        return bind(tree, null);
    }

    private static ObjectNode readDefaults() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS)) {
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("built-in defaults unreadable", e);
        }
    }

    /** Deep-merges mappings; lists and scalars in {@code over} replace those in {@code base}. */
    private static void merge(ObjectNode base, ObjectNode over) {
        Iterator<Map.Entry<String, JsonNode>> it = over.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode existing = base.get(e.getKey());
            if (existing instanceof ObjectNode eo && e.getValue() instanceof ObjectNode vo) {
                merge(eo, vo);
            } else {
                base.set(e.getKey(), e.getValue());
            }
        }
    }

    private static void applyOverride(ObjectNode tree, String key, String value) {
        List<String> path = new ArrayList<>();
        if (key.startsWith("flink.")) {
            path.add("flink");
            path.add(key.substring("flink.".length()));
        } else if (key.startsWith("kafka.properties.")) {
            path.add("kafka");
            path.add("properties");
            path.add(key.substring("kafka.properties.".length()));
        } else {
            Collections.addAll(path, key.split("\\.", -1));
        }
        if (path.contains("") ) {
            throw new ConfigException(key, "is not a configuration key");
        }
        ObjectNode node = tree;
        for (int i = 0; i < path.size() - 1; i++) {
            JsonNode child = node.get(path.get(i));
            if (child == null || child.isNull()) {
                ObjectNode created = JsonNodeFactory.instance.objectNode();
                node.set(path.get(i), created);
                node = created;
            } else if (child instanceof ObjectNode o) {
                node = o;
            } else {
                throw new ConfigException(key, "cannot be set on the command line (" + String.join(".", path.subList(0, i + 1))
                        + " is not a mapping); set it in the --config file");
            }
        }
        node.set(path.get(path.size() - 1), TextNode.valueOf(value));
    }

    // ---------------------------------------------------------------------------------------------- binding

    private static MonitorConfig bind(ObjectNode root, Path baseDir) {
        allowOnly(root, "", Set.of("window", "watermark", "validation", "parcel", "sla", "alerts", "districts",
                "peak-seasons", "facilities", "flink", "kafka"));
        ObjectNode window = object(root, "window");
        allowOnly(window, "window", Set.of("size", "timezone"));
        long windowSize = duration(window, "window.size", "size");
        if (windowSize <= 0 || DAY % windowSize != 0) {
            throw new ConfigException("window.size", "must be positive and divide 24 hours exactly, got "
                    + text(window, "size"));
        }
        String tz = string(window, "window.timezone", "timezone");
        ZoneId zone;
        try {
            zone = ZoneId.of(tz);
        } catch (DateTimeException e) {
            throw new ConfigException("window.timezone", "unknown time zone '" + tz + "'");
        }
        ZoneRules rules = zone.getRules();
        if (rules.nextTransition(SINCE) != null) {
            throw new ConfigException("window.timezone", "'" + tz + "' changes its offset (daylight saving or a "
                    + "change of rules) after 2000; choose a zone without, such as Asia/Shanghai");
        }
        int offsetSeconds = rules.getOffset(SINCE).getTotalSeconds();

        ObjectNode watermark = object(root, "watermark");
        allowOnly(watermark, "watermark", Set.of("out-of-orderness", "idleness", "max-drift"));
        long ooo = duration(watermark, "watermark.out-of-orderness", "out-of-orderness");
        long idleness = duration(watermark, "watermark.idleness", "idleness");
        long maxDrift = duration(watermark, "watermark.max-drift", "max-drift");

        ObjectNode validation = object(root, "validation");
        allowOnly(validation, "validation", Set.of("max-future"));
        long maxFuture = duration(validation, "validation.max-future", "max-future");

        ObjectNode parcel = object(root, "parcel");
        allowOnly(parcel, "parcel", Set.of("retention-after-delivery", "abandon-after"));
        long retention = duration(parcel, "parcel.retention-after-delivery", "retention-after-delivery");
        long abandon = positive("parcel.abandon-after", duration(parcel, "parcel.abandon-after", "abandon-after"));

        ObjectNode sla = object(root, "sla");
        allowOnly(sla, "sla", Set.of("SORTING_CENTER", "STATION"));
        long[] slaMillis = new long[FacilityType.values().length];
        for (FacilityType t : FacilityType.values()) {
            slaMillis[t.ordinal()] = positive("sla." + t, duration(sla, "sla." + t, t.name()));
        }

        Rules alertRules = bindRules(root);

        Map<String, FacilityInfo> facilities = Map.of();
        JsonNode fac = root.get("facilities");
        if (fac != null && !fac.isNull()) {
            String p = fac.asText();
            if (!p.isEmpty() && !p.equals("null")) {
                Path path = baseDir == null ? Path.of(p) : baseDir.resolve(p);
                facilities = FacilityRegistryCsv.read(path);
            }
        }

        Map<String, String> flink = new LinkedHashMap<>();
        JsonNode fl = root.get("flink");
        if (fl != null && !fl.isNull()) {
            if (!fl.isObject()) {
                throw new ConfigException("flink", "must be a mapping of Flink option names to values");
            }
            fl.fields().forEachRemaining(e -> {
                if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                    throw new ConfigException("flink." + e.getKey(), "must be a single value");
                }
                flink.put(e.getKey(), e.getValue().asText());
            });
        }

        return new MonitorConfig(windowSize, tz, offsetSeconds, ooo, idleness, maxDrift, maxFuture, retention, abandon,
                slaMillis, alertRules, facilities, Collections.unmodifiableMap(flink), kafka(object(root, "kafka")));
    }

    // ------------------------------------------------------------------------------------------ alert rules

    /**
     * Binds and validates the alert rules: the {@code alerts}, {@code districts} and {@code peak-seasons} fields of
     * {@code sections} (a whole configuration tree, or the rules' own JSON). Errors name the configuration key.
     */
    static Rules bindRules(ObjectNode sections) {
        ObjectNode alerts = object(sections, "alerts");
        allowOnly(alerts, "alerts", Set.of("hysteresis", "defaults"));
        double hysteresis = number(alerts, "alerts.hysteresis", "hysteresis");
        if (hysteresis < 0 || hysteresis > 1) {
            throw new ConfigException("alerts.hysteresis", "must be between 0 and 1, got " + plain(hysteresis));
        }
        ObjectNode defaults = object(alerts, "alerts.defaults", "defaults");
        allowOnly(defaults, "alerts.defaults", Set.of("SORTING_CENTER", "STATION"));
        AlertThresholds[] defaultThresholds = new AlertThresholds[FacilityType.values().length];
        for (FacilityType t : FacilityType.values()) {
            defaultThresholds[t.ordinal()] = thresholds(object(defaults, "alerts.defaults." + t, t.name()),
                    "alerts.defaults." + t, null);
        }

        Map<String, DistrictConfig> districts = new LinkedHashMap<>();
        JsonNode dl = sections.get("districts");
        if (dl != null && !dl.isNull()) {
            if (!dl.isArray()) {
                throw new ConfigException("districts", "must be a list of {code, name, capacity-per-hour, thresholds}");
            }
            int i = 0;
            for (JsonNode d : (ArrayNode) dl) {
                String k = "districts[" + i++ + "]";
                DistrictConfig district = district(d, k, defaultThresholds);
                if (districts.containsKey(district.code())) {
                    throw new ConfigException(k + ".code", "district " + district.code() + " is listed twice");
                }
                districts.put(district.code(), district);
            }
        }

        List<PeakSeason> seasons = new ArrayList<>();
        JsonNode sl = sections.get("peak-seasons");
        if (sl != null && !sl.isNull()) {
            if (!sl.isArray()) {
                throw new ConfigException("peak-seasons", "must be a list of {name, from, to, threshold-multiplier}");
            }
            int i = 0;
            for (JsonNode s : (ArrayNode) sl) {
                seasons.add(season(s, "peak-seasons[" + i++ + "]"));
            }
        }
        ObjectNode json = JSON.createObjectNode();
        json.set("alerts", canonical("alerts", alerts));
        json.set("districts", dl == null || dl.isNull() ? JSON.createArrayNode() : canonical("districts", dl));
        json.set("peak-seasons", sl == null || sl.isNull() ? JSON.createArrayNode() : canonical("peak-seasons", sl));
        return new Rules(hysteresis, defaultThresholds, Collections.unmodifiableMap(districts), List.copyOf(seasons),
                json.toString());
    }

    /** Rules from their canonical JSON ({@link Rules#json()}), e.g. as kept in the job's state. */
    public static Rules rulesFromJson(String json) {
        try {
            JsonNode tree = JSON.readTree(json);
            if (!(tree instanceof ObjectNode o)) {
                throw new ConfigException("rules", "must be a mapping of alerts, districts and peak-seasons");
            }
            allowOnly(o, "", Set.of("alerts", "districts", "peak-seasons"));
            return bindRules(o);
        } catch (IOException e) {
            throw new ConfigException("rules", "not JSON: " + e.getMessage());
        }
    }

    /**
     * The rules after {@code update}: {@code alerts} is merged into the rules' alerts key by key (as a configuration
     * file is merged over the defaults), {@code districts} and {@code peak-seasons} replace those lists, and
     * {@code district} adds a district or replaces the one with its code. The result is validated like a
     * configuration file; a single district's keys are named {@code districts[CODE]...}.
     *
     * @throws ConfigException naming the key of the first bad value; {@code current} is unchanged
     */
    public static Rules applyUpdate(Rules current, RuleUpdate update) {
        ObjectNode tree;
        try {
            tree = (ObjectNode) JSON.readTree(current.json());
        } catch (IOException e) {
            throw new IllegalStateException("rules in force are not JSON", e);
        }
        if (update.alerts() != null) {
            if (!(update.alerts() instanceof ObjectNode a)) {
                throw new ConfigException("alerts", "must be a mapping of hysteresis and defaults");
            }
            merge((ObjectNode) tree.get("alerts"), a.deepCopy());
        }
        if (update.districts() != null) {
            tree.set("districts", update.districts().deepCopy());
        }
        if (update.peakSeasons() != null) {
            tree.set("peak-seasons", update.peakSeasons().deepCopy());
        }
        if (update.district() != null) {
            JsonNode d = update.district();
            if (!(d instanceof ObjectNode o)) {
                throw new ConfigException("district", "must be a mapping {code, name, capacity-per-hour, thresholds}");
            }
            String code = string(o, "district.code", "code");
            if (!code.matches("\\d{6}")) {
                throw new ConfigException("district.code", "must be 6 digits, got '" + code + "'");
            }
            // Checked on its own first, so that a message names the district by its code, not by a list index.
            district(o, "districts[" + code + "]", bindRules(tree).defaultThresholds());
            JsonNode list = tree.get("districts");
            ArrayNode districts = list instanceof ArrayNode l ? l : tree.putArray("districts");
            boolean replaced = false;
            for (int i = 0; i < districts.size(); i++) {
                if (code.equals(districts.get(i).path("code").asText())) {
                    districts.set(i, o.deepCopy());
                    replaced = true;
                }
            }
            if (!replaced) {
                districts.add(o.deepCopy());
            }
        }
        return bindRules(tree);
    }

    private static DistrictConfig district(JsonNode d, String k, AlertThresholds[] defaultThresholds) {
        if (!d.isObject()) {
            throw new ConfigException(k, "must be a mapping with at least a code");
        }
        allowOnly((ObjectNode) d, k, Set.of("code", "name", "capacity-per-hour", "thresholds"));
        String code = string((ObjectNode) d, k + ".code", "code");
        if (!code.matches("\\d{6}")) {
            throw new ConfigException(k + ".code", "must be 6 digits, got '" + code + "'");
        }
        JsonNode nameNode = d.get("name");
        String name = nameNode == null || nameNode.isNull() ? null : nameNode.asText();
        Double[] capacity = new Double[FacilityType.values().length];
        JsonNode cap = d.get("capacity-per-hour");
        if (cap != null && !cap.isNull()) {
            if (!cap.isObject()) {
                throw new ConfigException(k + ".capacity-per-hour", "must map SORTING_CENTER/STATION to parcels per hour");
            }
            allowOnly((ObjectNode) cap, k + ".capacity-per-hour", Set.of("SORTING_CENTER", "STATION"));
            for (FacilityType t : FacilityType.values()) {
                if (cap.hasNonNull(t.name())) {
                    String ck = k + ".capacity-per-hour." + t;
                    capacity[t.ordinal()] = nonNegative(ck, number((ObjectNode) cap, ck, t.name()));
                }
            }
        }
        AlertThresholds[] th = defaultThresholds.clone();
        JsonNode tover = d.get("thresholds");
        if (tover != null && !tover.isNull()) {
            if (!tover.isObject()) {
                throw new ConfigException(k + ".thresholds", "must have the shape of alerts.defaults");
            }
            allowOnly((ObjectNode) tover, k + ".thresholds", Set.of("SORTING_CENTER", "STATION"));
            for (FacilityType t : FacilityType.values()) {
                if (tover.hasNonNull(t.name())) {
                    JsonNode tn = tover.get(t.name());
                    if (!tn.isObject()) {
                        throw new ConfigException(k + ".thresholds." + t, "must have the shape of alerts.defaults." + t);
                    }
                    th[t.ordinal()] = thresholds((ObjectNode) tn, k + ".thresholds." + t, defaultThresholds[t.ordinal()]);
                }
            }
        }
        return new DistrictConfig(code, name, capacity, th);
    }

    private static PeakSeason season(JsonNode s, String k) {
        if (!s.isObject()) {
            throw new ConfigException(k, "must be a mapping {name, from, to, threshold-multiplier}");
        }
        allowOnly((ObjectNode) s, k, Set.of("name", "from", "to", "threshold-multiplier"));
        String name = string((ObjectNode) s, k + ".name", "name");
        String from = string((ObjectNode) s, k + ".from", "from");
        String to = string((ObjectNode) s, k + ".to", "to");
        double mult = nonNegative(k + ".threshold-multiplier",
                number((ObjectNode) s, k + ".threshold-multiplier", "threshold-multiplier"));
        boolean yearlyFrom = isMonthDay(from);
        boolean yearlyTo = isMonthDay(to);
        if (yearlyFrom != yearlyTo) {
            throw new ConfigException(k, "from and to must use the same form (both MM-dd or both yyyy-MM-dd)");
        }
        LocalDate f = seasonDate(k + ".from", from);
        LocalDate t = seasonDate(k + ".to", to);
        if (!yearlyFrom && t.isBefore(f)) {
            throw new ConfigException(k + ".to", "is before from (" + from + ")");
        }
        return new PeakSeason(name, f, t, yearlyFrom, mult);
    }

    /** Fields of the rules whose values are text; every other value is a number. */
    private static final Set<String> TEXT_FIELDS = Set.of("code", "name", "from", "to");

    /**
     * A validated rules section in canonical form: absent (null) values left out, numbers as JSON numbers (whole ones
     * without a fraction), text as text, so that the same rules always give the same JSON however they were written
     * (YAML, JSON, a command-line override given as text).
     */
    private static JsonNode canonical(String field, JsonNode n) {
        if (n.isObject()) {
            ObjectNode o = JSON.createObjectNode();
            n.fields().forEachRemaining(e -> {
                if (!e.getValue().isNull()) {
                    o.set(e.getKey(), canonical(e.getKey(), e.getValue()));
                }
            });
            return o;
        }
        if (n.isArray()) {
            ArrayNode a = JSON.createArrayNode();
            n.forEach(e -> a.add(canonical(field, e)));
            return a;
        }
        if (TEXT_FIELDS.contains(field)) {
            return TextNode.valueOf(n.asText());
        }
        double d = n.isNumber() ? n.asDouble() : Double.parseDouble(n.asText().trim());
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? LongNode.valueOf((long) d) : DoubleNode.valueOf(d);
    }

    private static KafkaSettings kafka(ObjectNode k) {
        allowOnly(k, "kafka", Set.of("bootstrap-servers", "group-id", "starting-offsets", "bounded", "topics", "properties"));
        String offsets = string(k, "kafka.starting-offsets", "starting-offsets");
        if (!Set.of("committed", "earliest", "latest").contains(offsets)) {
            throw new ConfigException("kafka.starting-offsets", "must be committed, earliest or latest, got '" + offsets + "'");
        }
        ObjectNode topics = object(k, "kafka.topics", "topics");
        allowOnly(topics, "kafka.topics", Set.of("scan-events", "district-metrics", "alerts", "dead-letter", "late-events",
                "alert-rules", "alert-rules-results"));
        JsonNode rulesTopic = topics.get("alert-rules");
        Map<String, String> props = new LinkedHashMap<>();
        JsonNode p = k.get("properties");
        if (p != null && !p.isNull()) {
            if (!p.isObject()) {
                throw new ConfigException("kafka.properties", "must be a mapping of Kafka client properties");
            }
            p.fields().forEachRemaining(e -> props.put(e.getKey(), e.getValue().asText()));
        }
        return new KafkaSettings(
                string(k, "kafka.bootstrap-servers", "bootstrap-servers"),
                string(k, "kafka.group-id", "group-id"),
                offsets,
                bool(k, "kafka.bounded", "bounded"),
                string(topics, "kafka.topics.scan-events", "scan-events"),
                string(topics, "kafka.topics.district-metrics", "district-metrics"),
                string(topics, "kafka.topics.alerts", "alerts"),
                string(topics, "kafka.topics.dead-letter", "dead-letter"),
                string(topics, "kafka.topics.late-events", "late-events"),
                // null (or empty) turns the control topic off: the rules then change only with the file and a restart
                rulesTopic == null || rulesTopic.isNull() || rulesTopic.asText().isBlank()
                        || rulesTopic.asText().equals("null") ? null : rulesTopic.asText(),
                string(topics, "kafka.topics.alert-rules-results", "alert-rules-results"),
                Collections.unmodifiableMap(props));
    }

    private static AlertThresholds thresholds(ObjectNode node, String key, AlertThresholds fallback) {
        allowOnly(node, key, Set.of("backlog", "stuck", "surge"));
        return new AlertThresholds(
                levels(node, key + ".backlog", "backlog", fallback == null ? null : fallback.backlog()),
                levels(node, key + ".stuck", "stuck", fallback == null ? null : fallback.stuck()),
                levels(node, key + ".surge", "surge", fallback == null ? null : fallback.surge()));
    }

    private static LevelThresholds levels(ObjectNode parent, String key, String field, LevelThresholds fallback) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            if (fallback == null) {
                throw new ConfigException(key, "is missing; give {yellow, red}");
            }
            return fallback;
        }
        if (!n.isObject()) {
            throw new ConfigException(key, "must be {yellow, red}");
        }
        allowOnly((ObjectNode) n, key, Set.of("yellow", "red"));
        double yellow = n.hasNonNull("yellow") ? nonNegative(key + ".yellow", number((ObjectNode) n, key + ".yellow", "yellow"))
                : requireFallback(key + ".yellow", fallback).yellow();
        double red = n.hasNonNull("red") ? nonNegative(key + ".red", number((ObjectNode) n, key + ".red", "red"))
                : requireFallback(key + ".red", fallback).red();
        // yellow above red is allowed: a district may override one level only, and SPEC's rule (the highest level
        // whose threshold is reached) still decides every case.
        return new LevelThresholds(yellow, red);
    }

    private static LevelThresholds requireFallback(String key, LevelThresholds fallback) {
        if (fallback == null) {
            throw new ConfigException(key, "is missing");
        }
        return fallback;
    }

    private static boolean isMonthDay(String s) {
        return s.matches("\\d{2}-\\d{2}");
    }

    private static LocalDate seasonDate(String key, String s) {
        try {
            if (isMonthDay(s)) {
                return LocalDate.parse("2000-" + s); // a leap year, so that 02-29 is accepted
            }
            if (s.matches("\\d{4}-\\d{2}-\\d{2}")) {
                return LocalDate.parse(s);
            }
        } catch (DateTimeException e) {
            // fall through to the error below
        }
        throw new ConfigException(key, "'" + s + "' is not a date of the form MM-dd or yyyy-MM-dd");
    }

    private static void allowOnly(ObjectNode node, String prefix, Set<String> allowed) {
        node.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                throw new ConfigException(prefix.isEmpty() ? name : prefix + "." + name, "unknown key; expected one of "
                        + new java.util.TreeSet<>(allowed));
            }
        });
    }

    private static ObjectNode object(ObjectNode root, String key) {
        return object(root, key, key);
    }

    private static ObjectNode object(ObjectNode parent, String key, String field) {
        JsonNode n = parent.get(field);
        if (!(n instanceof ObjectNode o)) {
            throw new ConfigException(key, n == null || n.isNull() ? "is missing" : "must be a mapping");
        }
        return o;
    }

    private static String text(ObjectNode parent, String field) {
        JsonNode n = parent.get(field);
        return n == null ? null : n.asText();
    }

    private static String string(ObjectNode parent, String key, String field) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull() || !n.isValueNode() || n.asText().isBlank()) {
            throw new ConfigException(key, "is missing or empty");
        }
        return n.asText();
    }

    private static long duration(ObjectNode parent, String key, String field) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull() || !n.isValueNode()) {
            throw new ConfigException(key, "is missing; write a duration like 500ms, 30s, 5m, 12h or 1d");
        }
        return Durations.parse(key, n.asText());
    }

    private static double number(ObjectNode parent, String key, String field) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            throw new ConfigException(key, "is missing");
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        try {
            double d = Double.parseDouble(n.asText().trim());
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "'" + n.asText() + "' is not a number");
        }
    }

    private static boolean bool(ObjectNode parent, String key, String field) {
        JsonNode n = parent.get(field);
        if (n != null && n.isBoolean()) {
            return n.asBoolean();
        }
        String t = n == null ? "" : n.asText().trim();
        if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(t);
        }
        throw new ConfigException(key, "must be true or false, got '" + t + "'");
    }

    private static long positive(String key, long v) {
        if (v <= 0) {
            throw new ConfigException(key, "must be longer than 0");
        }
        return v;
    }

    private static double nonNegative(String key, double v) {
        if (v < 0) {
            throw new ConfigException(key, "must not be negative, got " + plain(v));
        }
        return v;
    }

    /** A number as written: {@code -5}, not {@code -5.0}. */
    private static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
