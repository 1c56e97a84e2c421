package com.expressmonitor.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The structure of the Grafana dashboard and its provisioning files, without Grafana: every panel and variable uses
 * the datasource variable, whose default is the provisioned data source; panels do not overlap; every query has a
 * legend, different from the others of its panel; variables are {@code label_values} queries. That each variable
 * returns values, and that each query's legend tells its lines apart once filled with their labels, is checked
 * against a real Prometheus by {@link MonitoringITCase}. The provider finds the dashboards folder; every metric the
 * dashboard and the rules use is documented in src/site/markdown/monitoring.md.
 */
class DashboardTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path PROVISIONING = Path.of("config/grafana/provisioning");
    private static final String DATASOURCE_VARIABLE = "${datasource}";
    private static final String JOB_METRICS = "flink_taskmanager_job_task_operator_expressMonitor_";

    private final GrafanaDashboard dashboard = GrafanaDashboard.load();

    DashboardTest() throws Exception {}

    private static void usesDatasourceVariable(String what, JsonNode datasource) {
        assertThat(datasource.path("uid").asText()).as(what + " datasource uid").isEqualTo(DATASOURCE_VARIABLE);
        assertThat(datasource.path("type").asText()).as(what + " datasource type").isEqualTo("prometheus");
    }

    @Test
    void everyPanelQueryAndVariableUsesTheDatasourceVariable() throws Exception {
        String text = Files.readString(GrafanaDashboard.FILE);
        assertThat(text).doesNotContain("__inputs").doesNotContain("${DS_");
        JsonNode datasource = dashboard.templating().get(0);
        assertThat(datasource.path("name").asText()).isEqualTo("datasource");
        assertThat(datasource.path("type").asText()).isEqualTo("datasource");
        assertThat(datasource.path("query").asText()).isEqualTo("prometheus");
        for (JsonNode p : dashboard.panels()) {
            if (!p.path("type").asText().equals("row")) {
                usesDatasourceVariable("panel '" + p.path("title").asText() + "'", p.path("datasource"));
                assertThat(p.path("targets")).as("queries of '" + p.path("title").asText() + "'").isNotEmpty();
            }
        }
        for (GrafanaDashboard.Query q : dashboard.queries()) {
            usesDatasourceVariable("query " + q.refId() + " of '" + q.panel() + "'", q.datasource());
        }
        for (GrafanaDashboard.Variable v : dashboard.queryVariables()) {
            usesDatasourceVariable("variable " + v.name(), v.datasource());
        }
    }

    @Test
    void theDatasourceVariableDefaultsToTheProvisionedDataSource() throws Exception {
        JsonNode provisioned = YAML.readTree(PROVISIONING.resolve("datasources/express-traffic-monitor.yaml").toFile())
                .path("datasources").get(0);
        assertThat(provisioned.path("type").asText()).isEqualTo("prometheus");
        assertThat(dashboard.templating().get(0).path("current").path("value").asText())
                .isEqualTo(provisioned.path("uid").asText());
    }

    @Test
    void theProviderLoadsTheDashboardsFolder() throws Exception {
        JsonNode provider = YAML.readTree(PROVISIONING.resolve("dashboards/express-traffic-monitor.yaml").toFile())
                .path("providers").get(0);
        assertThat(provider.path("type").asText()).isEqualTo("file");
        // Grafana expands $GF_PATHS_PROVISIONING to its provisioning folder: here, this repository's.
        String path = GrafanaDashboard.substitute(provider.path("options").path("path").asText(),
                Map.of("GF_PATHS_PROVISIONING", PROVISIONING.toAbsolutePath().toString()));
        Path folder = Path.of(path).normalize();
        assertThat(folder).isEqualTo(GrafanaDashboard.FILE.toAbsolutePath().getParent());
        assertThat(folder.resolve("express-traffic-monitor.json")).exists();
    }

    @Test
    void rowsComeInTheOrderAControlRoomReadsThem() {
        List<String> rows = dashboard.panels().stream().filter(p -> p.path("type").asText().equals("row"))
                .map(p -> p.path("title").asText()).toList();
        assertThat(rows).containsExactly("Network now", "Selected districts", "Alerts", "Pipeline health");
    }

    @Test
    void panelsDoNotOverlapAndFitTheGrid() {
        List<JsonNode> panels = dashboard.panels();
        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < panels.size(); i++) {
            JsonNode a = panels.get(i).path("gridPos");
            String name = "'" + panels.get(i).path("title").asText() + "'";
            assertThat(ids.add(panels.get(i).path("id").asInt())).as("unique id of " + name).isTrue();
            assertThat(a.path("w").asInt()).as("width of " + name).isPositive();
            assertThat(a.path("h").asInt()).as("height of " + name).isPositive();
            assertThat(a.path("x").asInt() + a.path("w").asInt()).as("right edge of " + name).isLessThanOrEqualTo(24);
            for (int j = 0; j < i; j++) {
                JsonNode b = panels.get(j).path("gridPos");
                boolean overlap = a.path("x").asInt() < b.path("x").asInt() + b.path("w").asInt()
                        && b.path("x").asInt() < a.path("x").asInt() + a.path("w").asInt()
                        && a.path("y").asInt() < b.path("y").asInt() + b.path("h").asInt()
                        && b.path("y").asInt() < a.path("y").asInt() + a.path("h").asInt();
                assertThat(overlap).as(name + " overlaps '" + panels.get(j).path("title").asText() + "'").isFalse();
            }
        }
    }

    @Test
    void everyQueryHasALegendThatTellsItsLinesApart() {
        Map<String, List<GrafanaDashboard.Query>> byPanel = new LinkedHashMap<>();
        for (GrafanaDashboard.Query q : dashboard.queries()) {
            String what = "legend of " + q.refId() + " in '" + q.panel() + "'";
            assertThat(q.legend()).as(what).isNotBlank();
            byPanel.computeIfAbsent(q.panel(), k -> new ArrayList<>()).add(q);
        }
        byPanel.forEach((panel, queries) -> assertThat(queries.stream().map(GrafanaDashboard.Query::legend))
                .as("legends of '" + panel + "'").doesNotHaveDuplicates());
    }

    @Test
    void variablesAreLabelValuesQueriesEachUsingOnlyTheOnesBefore() {
        List<GrafanaDashboard.Variable> variables = dashboard.queryVariables();
        assertThat(variables).extracting(GrafanaDashboard.Variable::name)
                .containsExactly("job", "facilityType", "district");
        Set<String> known = new HashSet<>();
        for (GrafanaDashboard.Variable v : variables) {
            assertThat(v.match()).as(v.name() + " is label_values(selector, label): " + v.definition()).isNotNull();
            for (String used : new TreeSet<>(Pattern.compile("\\$(\\w+)").matcher(v.match()).results()
                    .map(r -> r.group(1)).toList())) {
                assertThat(known).as(v.name() + " uses $" + used).contains(used);
            }
            known.add(v.name());
        }
        // the district and facility type selectors are used by the rows that follow them
        assertThat(dashboard.queries()).anyMatch(q -> q.expr().contains("district=~\"$district\"")
                && q.expr().contains("facilityType=~\"$facilityType\""));
    }

    @Test
    void everyMetricOfTheDashboardAndTheRulesIsDocumented() throws Exception {
        String docs = Files.readString(Path.of("src/site/markdown/monitoring.md"));
        Set<String> metrics = new TreeSet<>();
        for (GrafanaDashboard.Query q : dashboard.queries()) {
            PromQl.selectors(q.expr()).forEach(s -> metrics.add(s.replaceAll("\\{.*", "")));
        }
        for (Path f : PromtoolTest.ruleFiles()) {
            for (JsonNode group : YAML.readTree(f.toFile()).path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    PromQl.selectors(rule.path("expr").asText()).forEach(s -> metrics.add(s.replaceAll("\\{.*", "")));
                }
            }
        }
        assertThat(metrics).contains(JOB_METRICS + "recordsIn", "up");
        for (String metric : metrics) {
            if (metric.startsWith("express:") || metric.equals("up")) {
                continue; // recorded by the rules themselves, and Prometheus's own
            }
            // the job's metrics are listed after their common prefix, Flink's by their whole name
            String documented = metric.startsWith(JOB_METRICS) ? metric.substring(JOB_METRICS.length()) : metric;
            assertThat(docs).as(metric + " documented as " + documented).contains("`" + documented + "`");
        }
    }
}
