package com.expressmonitor.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Grafana dashboard of config/grafana/dashboards as the tests read it: panels, queries and variables. */
final class GrafanaDashboard {
    static final Path FILE = Path.of("config/grafana/dashboards/express-traffic-monitor.json");
    private static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\((.+),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\)$");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)");

    final JsonNode json;

    /** One query of a panel. */
    record Query(String panel, String refId, String expr, String legend, boolean instant, JsonNode datasource) {}

    /** A template variable of type query: {@code label_values(match, label)}. */
    record Variable(String name, String definition, String match, String label, JsonNode datasource) {}

    private GrafanaDashboard(JsonNode json) {
        this.json = json;
    }

    static GrafanaDashboard load() throws IOException {
        return new GrafanaDashboard(new ObjectMapper().readTree(FILE.toFile()));
    }

    /** Every panel, rows included, in the order of the file. */
    List<JsonNode> panels() {
        List<JsonNode> out = new ArrayList<>();
        json.path("panels").forEach(out::add);
        return out;
    }

    List<Query> queries() {
        List<Query> out = new ArrayList<>();
        for (JsonNode p : panels()) {
            for (JsonNode t : p.path("targets")) {
                out.add(new Query(p.path("title").asText(), t.path("refId").asText(), t.path("expr").asText(),
                        t.path("legendFormat").asText(), t.path("instant").asBoolean(false), t.path("datasource")));
            }
        }
        return out;
    }

    List<JsonNode> templating() {
        List<JsonNode> out = new ArrayList<>();
        json.path("templating").path("list").forEach(out::add);
        return out;
    }

    /** The query variables in their order: each may use the ones before it. */
    List<Variable> queryVariables() {
        List<Variable> out = new ArrayList<>();
        for (JsonNode v : templating()) {
            if (v.path("type").asText().equals("query")) {
                String definition = v.path("query").path("query").asText(v.path("definition").asText());
                Matcher m = LABEL_VALUES.matcher(definition.trim());
                out.add(m.matches()
                        ? new Variable(v.path("name").asText(), definition, m.group(1).trim(), m.group(2), v.path("datasource"))
                        : new Variable(v.path("name").asText(), definition, null, null, v.path("datasource")));
            }
        }
        return out;
    }

    /** {@code text} with every {@code $name} and {@code ${name}} of {@code values} replaced. */
    static String substitute(String text, Map<String, String> values) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String value = values.get(name);
            m.appendReplacement(b, Matcher.quoteReplacement(value != null ? value : m.group()));
        }
        m.appendTail(b);
        return b.toString();
    }

    /**
     * Values as Grafana writes a multi-value selection into a regex matcher of a Prometheus query: regex characters
     * escaped with a double backslash (one for the PromQL string, one for the regex), joined, in parentheses.
     */
    static String regexOf(List<String> values) {
        List<String> escaped = values.stream()
                .map(v -> v.replaceAll("[\\\\^$.|?*+()\\[\\]{}]", "\\\\\\\\$0")).toList();
        return escaped.size() == 1 ? escaped.get(0) : "(" + String.join("|", escaped) + ")";
    }
}
