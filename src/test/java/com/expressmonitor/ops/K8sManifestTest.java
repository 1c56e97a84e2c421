package com.expressmonitor.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.expressmonitor.config.ConfigLoader;
import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.event.ScanParser;
import com.expressmonitor.io.EnvConfigProvider;
import com.expressmonitor.io.KafkaIo;
import com.expressmonitor.io.OutputJson;
import com.expressmonitor.job.CommandLine;
import com.expressmonitor.job.ExpressTrafficMonitor;
import com.expressmonitor.job.MonitorPipeline;
import com.expressmonitor.job.RuleInput;
import com.expressmonitor.job.ScanInput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.metrics.prometheus.PrometheusReporterFactory;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;

/**
 * The Kubernetes deployment in {@code jobs/k8s}: the FlinkDeployment is one the Flink Kubernetes Operator accepts
 * (checked against the operator's CRD schema when that file is present next to the project), it runs this job the
 * way operations need it (application mode, savepoint upgrades, HA, retained checkpoints, bounded restarts, secrets
 * only by reference, metrics), the job's own settings do not undo the cluster's, and the Dockerfile builds the
 * image the deployment expects.
 */
class K8sManifestTest {
    private static final Path MANIFEST = Path.of("jobs/k8s/express-traffic-monitor.yaml");
    private static final Path DOCKERFILE = Path.of("jobs/k8s/Dockerfile");
    private static final Path DOCKERIGNORE = Path.of("jobs/k8s/Dockerfile.dockerignore");
    private static final Path JOB_CONFIG = Path.of("config/express-monitor.yaml");
    /**
     * The operator's CRD lives beside the project, not in it (or where {@code FLINK_DEPLOYMENT_CRD} says, as for a
     * fresh clone in CI): the schema test runs only where it is present.
     */
    private static final Path CRD = Path.of(System.getenv().getOrDefault("FLINK_DEPLOYMENT_CRD",
            "../shared/k8s/flinkdeployments.flink.apache.org-v1.yml"));

    private static final YAMLMapper YAML = new YAMLMapper();

    private static List<JsonNode> documents;
    private static JsonNode deployment;
    private static JsonNode flinkConf;

    @BeforeAll
    static void readManifest() throws IOException {
        documents = readYamlDocuments(MANIFEST);
        List<JsonNode> deployments = ofKind("FlinkDeployment");
        assertThat(deployments).hasSize(1);
        deployment = deployments.get(0);
        flinkConf = deployment.at("/spec/flinkConfiguration");
    }

    // ------------------------------------------------------------------------------------- the operator's schema

    @Test
    void flinkDeploymentPassesTheOperatorsSchema() throws IOException {
        assertThat(OpenApiSchemaChecker.resourceViolations(crd(), deployment)).isEmpty();
    }

    @Test
    void schemaCheckReportsEveryMistakeWithItsPath() throws IOException {
        ObjectNode broken = deployment.deepCopy();
        ObjectNode job = (ObjectNode) broken.at("/spec/job");
        job.set("jarUri", job.remove("jarURI"));
        job.put("upgradeMode", "savepont");
        job.put("parallelism", "4");
        ((ObjectNode) broken.at("/spec/taskManager/resource")).put("cpu", "two");
        ((ObjectNode) broken.at("/spec/podTemplate/spec/containers/0/ports/0")).put("containerPort", "9249");
        ((ObjectNode) broken.at("/spec/podTemplate/spec/containers/0/env/0")).putNull("value");
        ((ObjectNode) broken.at("/spec/podTemplate/spec/volumes/0/emptyDir")).put("sizeLimit", true);
        ((ObjectNode) broken.at("/metadata/labels")).put("tier", 7);
        ((ObjectNode) broken.get("spec")).put("mode", "application");

        assertThat(OpenApiSchemaChecker.resourceViolations(crd(), broken)).containsExactly(
                "metadata.labels.tier: expected string, got integer 7",
                "spec.taskManager.resource.cpu: expected number, got string \"two\"",
                "spec.podTemplate.spec.containers[0].env[0].value: null is not allowed",
                "spec.podTemplate.spec.containers[0].ports[0].containerPort: expected integer, got string \"9249\"",
                "spec.podTemplate.spec.volumes[0].emptyDir.sizeLimit: expected an integer or a string, got boolean true",
                "spec.job.parallelism: expected integer, got string \"4\"",
                "spec.job.upgradeMode: string \"savepont\" is not one of [\"last-state\",\"savepoint\",\"stateless\"]",
                "spec.job.jarUri: unknown field",
                "spec.mode: string \"application\" is not one of [\"native\",\"standalone\"]");
    }

    @Test
    void schemaCheckComparesApiVersionKindAndNameWithTheCrd() throws IOException {
        ObjectNode broken = deployment.deepCopy();
        broken.put("apiVersion", "flink.apache.org/v1");
        broken.put("kind", "FlinkDeploy");
        ((ObjectNode) broken.get("metadata")).remove("name");
        ((ObjectNode) broken.get("metadata")).put("uid", "0d7c");

        assertThat(OpenApiSchemaChecker.resourceViolations(crd(), broken)).containsExactly(
                "apiVersion: string \"flink.apache.org/v1\" is not one of the served [flink.apache.org/v1beta1]",
                "kind: string \"FlinkDeploy\" is not FlinkDeployment",
                "metadata.uid: unknown field",
                "metadata.name: required field is missing");
    }

    @Test
    void schemaCheckerAppliesEveryKeywordItKnows() throws IOException {
        JsonNode schema = YAML.readTree("""
                type: object
                required: [name, replicas]
                properties:
                  name: {type: string}
                  replicas: {type: integer}
                  ratio: {type: number}
                  enabled: {type: boolean}
                  mode: {type: string, enum: [fast, safe]}
                  note: {type: string, nullable: true}
                  port: {x-kubernetes-int-or-string: true, anyOf: [{type: integer}, {type: string}]}
                  level: {anyOf: [{type: integer}, {type: string, enum: [low, high]}]}
                  labels: {type: object, additionalProperties: {type: string}}
                  extra: {type: object, additionalProperties: true}
                  free: {x-kubernetes-preserve-unknown-fields: true}
                  items:
                    type: array
                    items: {type: object, properties: {id: {type: integer}}}
                """);
        JsonNode good = YAML.readTree("""
                {name: a, replicas: 2, ratio: 1, enabled: false, mode: safe, note: null, port: http, level: high,
                 labels: {x.y/z: v}, extra: {anything: [1, {b: 2}]}, free: {deep: {er: [true]}}, items: [{id: 1}]}
                """);
        JsonNode bad = YAML.readTree("""
                {replicas: 2.5, ratio: "1", enabled: "yes", mode: quick, port: 1.5, level: medium,
                 labels: {x.y/z: 1}, items: [{id: 1}, {id: one, name: b}], speling: 1}
                """);

        assertThat(OpenApiSchemaChecker.violations(schema, good)).isEmpty();
        assertThat(OpenApiSchemaChecker.violations(schema, bad)).containsExactly(
                "replicas: expected integer, got number 2.5",
                "ratio: expected number, got string \"1\"",
                "enabled: expected boolean, got string \"yes\"",
                "mode: string \"quick\" is not one of [\"fast\",\"safe\"]",
                "port: expected an integer or a string, got number 1.5",
                "level: string \"medium\" matches none of anyOf [{\"type\":\"integer\"},{\"type\":\"string\",\"enum\":[\"low\",\"high\"]}]",
                "labels[\"x.y/z\"]: expected string, got integer 1",
                "items[1].id: expected integer, got string \"one\"",
                "items[1].name: unknown field",
                "speling: unknown field",
                "name: required field is missing");
        assertThatThrownBy(() -> OpenApiSchemaChecker.violations(
                YAML.readTree("{type: object, properties: {n: {type: string, pattern: '^a'}}}"), YAML.readTree("{n: b}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the schema of n uses 'pattern', which this checker does not apply");
    }

    // ------------------------------------------------------------------------------------------ what it runs

    @Test
    void runsTheJobJarInApplicationMode() {
        JsonNode job = deployment.at("/spec/job");
        assertThat(job.path("jarURI").asText()).isEqualTo("local:///opt/flink/usrlib/express-traffic-monitor.jar");
        assertThat(job.path("entryClass").asText()).isEqualTo(ExpressTrafficMonitor.class.getName());
        // No spec.mode: native, the JobManager asks Kubernetes for its TaskManager pods.
        assertThat(deployment.at("/spec/mode").isMissingNode()).isTrue();
        assertThat(job.path("state").asText()).isEqualTo("running");

        CommandLine cli = jobCommandLine();
        assertThat(cli.config()).isEqualTo(Path.of("/opt/express/monitor.yaml"));
        assertThat(cli.source()).isEqualTo("kafka");
        assertThat(cli.sink()).isEqualTo("kafka");
        // --parallelism would pin the job and make spec.job.parallelism, the operator's way to rescale, ineffective.
        assertThat(cli.parallelism()).isNull();
        assertThat(job.path("parallelism").asInt()).isEqualTo(4);
    }

    @Test
    void upgradesThroughSavepointsAndTakesThemPeriodically() {
        assertThat(deployment.at("/spec/job/upgradeMode").asText()).isEqualTo("savepoint");
        assertThat(conf("execution.checkpointing.savepoint-dir")).isEqualTo("s3://express-monitor/savepoints");
        assertThat(conf("kubernetes.operator.periodic.savepoint.interval")).isEqualTo("6h");
        assertThat(conf("kubernetes.operator.savepoint.history.max.count")).isEqualTo("10");
        assertThat(conf("kubernetes.operator.savepoint.history.max.age")).isEqualTo("7d");
    }

    @Test
    void kubernetesHighAvailabilityKeepsItsMetadataOnS3() {
        assertThat(conf("high-availability.type")).isEqualTo("kubernetes");
        assertThat(conf("high-availability.storageDir")).isEqualTo("s3://express-monitor/ha");
        assertThat(deployment.at("/spec/serviceAccount").asText()).isEqualTo("flink");
    }

    @Test
    void checkpointsAreIncrementalRocksDbOnS3AndRetained() {
        assertThat(conf("state.backend.type")).isEqualTo("rocksdb");
        assertThat(conf("execution.checkpointing.incremental")).isEqualTo("true");
        assertThat(conf("state.backend.rocksdb.timer-service.factory")).isEqualTo("ROCKSDB");
        assertThat(conf("state.backend.rocksdb.thread.num")).isEqualTo("16");
        assertThat(conf("state.backend.rocksdb.compression.per.level")).isEqualTo("NO_COMPRESSION;SNAPPY_COMPRESSION");
        assertThat(conf("execution.checkpointing.interval")).isEqualTo("10s");
        assertThat(conf("execution.checkpointing.mode")).isEqualTo("EXACTLY_ONCE");
        assertThat(conf("execution.checkpointing.dir")).isEqualTo("s3://express-monitor/checkpoints");
        assertThat(conf("execution.checkpointing.externalized-checkpoint-retention")).isEqualTo("RETAIN_ON_CANCELLATION");
        assertThat(conf("execution.checkpointing.num-retained")).isEqualTo("3");
        // RocksDB works in the pod's own volume, mounted where state.backend.rocksdb.localdir points.
        assertThat(conf("state.backend.rocksdb.localdir")).isEqualTo("/opt/flink/rocksdb");
        assertThat(mainContainer().path("volumeMounts").toString())
                .isEqualTo("[{\"name\":\"rocksdb\",\"mountPath\":\"/opt/flink/rocksdb\"}]");
        assertThat(deployment.at("/spec/podTemplate/spec/volumes").toString())
                .isEqualTo("[{\"name\":\"rocksdb\",\"emptyDir\":{}}]");
    }

    @Test
    void restartStrategyGivesUpAfterTenAttemptsInARow() {
        assertThat(conf("restart-strategy.type")).isEqualTo("exponential-delay");
        assertThat(conf("restart-strategy.exponential-delay.attempts-before-reset-backoff")).isEqualTo("10");
        assertThat(conf("restart-strategy.exponential-delay.reset-backoff-threshold")).isEqualTo("1h");
        assertThat(conf("restart-strategy.exponential-delay.max-backoff")).isEqualTo("5min");
    }

    @Test
    void maxParallelismIsFixedAndEveryOperatorNeedsItsOwnUid() {
        assertThat(conf("pipeline.max-parallelism")).isEqualTo("128");
        assertThat(conf("pipeline.auto-generate-uids")).isEqualTo("false");
        assertThat(flinkConf.has("pipeline.auto-generated-uids")).as("not a Flink option; Flink would ignore it").isFalse();
    }

    @Test
    void watermarksEveryHundredMilliseconds() {
        assertThat(conf("pipeline.auto-watermark-interval")).isEqualTo("100ms");
    }

    @Test
    void theJobsTopologyBuildsWithGeneratedUidsOff() {
        Configuration conf = new Configuration();
        for (String key : List.of("pipeline.auto-generate-uids", "pipeline.max-parallelism")) {
            conf.setString(key, conf(key));
        }
        MonitorConfig config = jobConfig();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        ScanInput input = new ScanInput(KafkaIo.source(config, new ScanParser(config.facilities(), config.maxFutureMillis())),
                true, "Kafka " + config.kafka().scanEventsTopic(), "source-kafka");
        MonitorPipeline.build(env, config, input, RuleInput.kafka(config.kafka(), false),
                KafkaIo.outputs(config, new OutputJson(config.zoneOffsetSeconds())));

        // Flink refuses to build the graph if an operator has no uid while generated ones are off.
        StreamGraph graph = env.getStreamGraph();
        List<String> uids = new ArrayList<>();
        for (StreamNode node : graph.getStreamNodes()) {
            uids.add(node.getTransformationUID());
        }
        assertThat(uids).containsExactlyInAnyOrder("source-kafka", "classify-scans", "parcel-tracker",
                "district-metrics", "district-metrics-time", "rule-updates-kafka", "alert-rules", "district-alerts",
                "sink-district-metrics", "Sink Committer: sink-district-metrics",
                "sink-alerts", "Sink Committer: sink-alerts",
                "sink-dead-letter", "Sink Committer: sink-dead-letter",
                "sink-late-events", "Sink Committer: sink-late-events",
                "sink-rule-updates", "Sink Committer: sink-rule-updates");
    }

    @Test
    void everyFlinkOptionIsOneFlinkKnowsByItsCurrentName() {
        FlinkOptionNames names = FlinkOptionNames.of(CheckpointingOptions.class, CoreOptions.class,
                HighAvailabilityOptions.class, PipelineOptions.class, RestartStrategyOptions.class,
                StateBackendOptions.class, TaskManagerOptions.class, RocksDBOptions.class,
                RocksDBConfigurableOptions.class);
        Map<String, String> problems = new LinkedHashMap<>();
        for (Iterator<String> keys = flinkConf.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            // The operator's own options, and the reporter's, whose keys are made from the reporter's name.
            if (key.startsWith("kubernetes.operator.") || key.startsWith("metrics.reporter.prom.")) {
                continue;
            }
            if (!names.isCurrent(key)) {
                problems.put(key, names.isOld(key) ? "old name of " + names.current(key) : "not a Flink option");
            }
            if (!flinkConf.get(key).isTextual()) {
                problems.put(key, "not a quoted string");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theJobsOwnFlinkSettingsAgreeWithTheCluster() {
        // The job's settings (its configuration file and --flink.* arguments) override the cluster's in application
        // mode: where both set an option, under its current or an older name, they must agree, or the cluster's
        // setting would silently not apply.
        FlinkOptionNames names = FlinkOptionNames.of(CheckpointingOptions.class, RestartStrategyOptions.class,
                StateBackendOptions.class, RocksDBOptions.class);
        Map<String, String> jobFlink = jobConfig().flink();
        assertThat(jobFlink).containsEntry("execution.checkpointing.dir", conf("execution.checkpointing.dir"));
        Map<String, String> disagreements = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : jobFlink.entrySet()) {
            String key = names.current(e.getKey());
            if (flinkConf.has(key) && !flinkConf.get(key).asText().equals(e.getValue())) {
                disagreements.put(e.getKey(), e.getValue() + " in the job, " + flinkConf.get(key).asText() + " in the cluster");
            }
        }
        assertThat(disagreements).isEmpty();
        assertThat(names.current("state.backend.incremental")).isEqualTo("execution.checkpointing.incremental");
    }

    // ------------------------------------------------------------------------------------------ secrets

    @Test
    void kafkaPasswordReachesJobManagerAndTaskManagersAndOnlyByReference() {
        // The spec's pod template is the whole template of both: neither has one of its own to replace it.
        assertThat(deployment.at("/spec/jobManager/podTemplate").isMissingNode()).isTrue();
        assertThat(deployment.at("/spec/taskManager/podTemplate").isMissingNode()).isTrue();
        assertThat(mainContainer().path("name").asText()).isEqualTo("flink-main-container");
        assertThat(secretRef("KAFKA_PASSWORD")).isEqualTo("express-traffic-monitor-kafka/password");

        MonitorConfig config = jobConfig();
        assertThat(config.kafka().bootstrapServers()).isEqualTo("kafka-bootstrap.kafka.svc:9093");
        assertThat(config.kafka().properties()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"express-monitor\" password=\"${KAFKA_PASSWORD}\";"));
        // What the Kafka clients get: a reference that the job's config provider resolves from the environment.
        var client = KafkaIo.clientProperties(config.kafka());
        assertThat(client.getProperty("sasl.jaas.config")).endsWith(" password=\"${monitorenv:KAFKA_PASSWORD}\";");
        assertThat(client.getProperty("config.providers.monitorenv.class")).isEqualTo(EnvConfigProvider.class.getName());
    }

    @Test
    void s3PluginAndCredentialsReachJobManagerAndTaskManagers() {
        assertThat(env().get("ENABLE_BUILT_IN_PLUGINS").path("value").asText()).isEqualTo("flink-s3-fs-hadoop-2.2.1.jar");
        assertThat(secretRef("AWS_ACCESS_KEY_ID")).isEqualTo("express-traffic-monitor-s3/access-key-id");
        assertThat(secretRef("AWS_SECRET_ACCESS_KEY")).isEqualTo("express-traffic-monitor-s3/secret-access-key");
    }

    @Test
    void noSecretIsWrittenIntoTheDeployment() {
        // Environment variables named like secrets come from Secrets; none is given a value here.
        for (Map.Entry<String, JsonNode> e : env().entrySet()) {
            if (e.getKey().matches(".*(PASSWORD|SECRET|ACCESS_KEY|TOKEN).*")) {
                assertThat(e.getValue().has("value")).as("%s has a literal value", e.getKey()).isFalse();
            }
        }
        Map<String, String> texts = new LinkedHashMap<>();
        collectTexts(deployment, "", texts);
        // No field named like a secret (s3.secret-key, a password option...) holds a literal.
        assertThat(texts.keySet()).filteredOn(path -> path.substring(path.lastIndexOf('/') + 1)
                .matches("(?i).*(password|secret|access-key|token).*")).isEmpty();
        // Every password="..." in any value (the SASL login) refers to an environment variable.
        Pattern password = Pattern.compile("password=\"([^\"]*)\"");
        List<String> passwords = new ArrayList<>();
        for (String text : texts.values()) {
            for (Matcher m = password.matcher(text); m.find(); ) {
                passwords.add(m.group(1));
            }
        }
        assertThat(passwords).containsExactly("${KAFKA_PASSWORD}");

        // The Secrets in the file hold placeholders only, never a real credential, and none of them is in the
        // deployment.
        List<JsonNode> secrets = ofKind("Secret");
        assertThat(secrets).extracting(s -> s.at("/metadata/name").asText())
                .containsExactly("express-traffic-monitor-kafka", "express-traffic-monitor-s3");
        for (JsonNode secret : secrets) {
            assertThat(secret.has("data")).isFalse();
            assertThat(secret.path("stringData").elements()).toIterable().extracting(JsonNode::asText)
                    .containsOnly("change-me");
            assertThat(secret.at("/metadata/labels/app.kubernetes.io~1component").asText())
                    .isEqualTo("credentials-placeholder");
        }
        assertThat(texts.values()).noneMatch(text -> text.contains("change-me"));
        // The label that the documented `kubectl apply -l` selects, so that the placeholders need not be applied.
        assertThat(deployment.at("/metadata/labels/app.kubernetes.io~1component").asText()).isEqualTo("stream-job");
    }

    // ------------------------------------------------------------------------------------------ resources and metrics

    @Test
    void jobManagerAndTaskManagersHaveResources() {
        assertThat(deployment.at("/spec/jobManager/resource").toString()).isEqualTo("{\"memory\":\"2048m\",\"cpu\":1}");
        assertThat(deployment.at("/spec/jobManager/replicas").asInt()).isEqualTo(1);
        assertThat(deployment.at("/spec/taskManager/resource").toString()).isEqualTo("{\"memory\":\"4096m\",\"cpu\":2}");
        assertThat(conf("taskmanager.numberOfTaskSlots")).isEqualTo("2");
    }

    @Test
    void prometheusMetricsPortIsOpenOnEveryPod() {
        assertThat(conf("metrics.reporter.prom.factory.class")).isEqualTo(PrometheusReporterFactory.class.getName());
        assertThat(conf("metrics.reporter.prom.port")).isEqualTo("9249");
        assertThat(mainContainer().path("ports").toString())
                .isEqualTo("[{\"name\":\"metrics\",\"containerPort\":9249,\"protocol\":\"TCP\"}]");
        assertThat(deployment.at("/spec/podTemplate/metadata/annotations").toString())
                .isEqualTo("{\"prometheus.io/scrape\":\"true\",\"prometheus.io/port\":\"9249\"}");
    }

    // ------------------------------------------------------------------------------------------ the image

    @Test
    void dockerfileBuildsTheImageTheDeploymentRuns() throws Exception {
        List<String> instructions = dockerInstructions();
        assertThat(instructions.get(0)).isEqualTo("FROM flink:2.2.1-java17");

        Map<String, String> args = new HashMap<>();
        Map<String, String> copies = new LinkedHashMap<>();
        for (String instruction : instructions) {
            String[] words = instruction.split("\\s+");
            if (words[0].equals("ARG")) {
                String[] nameValue = words[1].split("=", 2);
                args.put(nameValue[0], nameValue.length > 1 ? nameValue[1] : "");
            } else if (words[0].equals("COPY")) {
                assertThat(words).as(instruction).hasSize(3);
                copies.put(substitute(words[2], args), substitute(words[1], args));
            }
        }
        assertThat(args).containsExactly(Map.entry("VERSION", projectVersion()));
        String jarPath = deployment.at("/spec/job/jarURI").asText().substring("local://".length());
        assertThat(copies).containsExactly(
                Map.entry(jarPath, "target/express-traffic-monitor-" + projectVersion() + "-job.jar"),
                Map.entry(jobCommandLine().config().toString(), JOB_CONFIG.toString()));

        // The build context is the repository root; the Dockerfile's ignore file lets exactly these two through.
        for (String source : copies.values()) {
            assertThat(ignoredByDocker(source)).as(source).isFalse();
        }
        assertThat(ignoredByDocker("target/express-traffic-monitor.jar")).isTrue();
        assertThat(ignoredByDocker("config/demo.yaml")).isTrue();
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static JsonNode crd() throws IOException {
        assumeTrue(Files.isRegularFile(CRD), () -> "The Flink Kubernetes Operator's CRD "
                + CRD.toAbsolutePath().normalize() + " is not present: the FlinkDeployment is not checked against its schema.");
        return YAML.readTree(CRD.toFile());
    }

    private static List<JsonNode> readYamlDocuments(Path file) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    private static List<JsonNode> ofKind(String kind) {
        return documents.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
    }

    private static String conf(String key) {
        assertThat(flinkConf.has(key)).as("flinkConfiguration sets %s", key).isTrue();
        return flinkConf.get(key).asText();
    }

    private static CommandLine jobCommandLine() {
        List<String> args = new ArrayList<>();
        deployment.at("/spec/job/args").forEach(a -> args.add(a.asText()));
        return CommandLine.parse(args.toArray(String[]::new));
    }

    /** The job's configuration as it starts in the pod: the image's config file under the deployment's arguments. */
    private static MonitorConfig jobConfig() {
        return ConfigLoader.load(JOB_CONFIG, jobCommandLine().overrides());
    }

    private static JsonNode mainContainer() {
        JsonNode containers = deployment.at("/spec/podTemplate/spec/containers");
        assertThat(containers.size()).isEqualTo(1);
        return containers.get(0);
    }

    private static Map<String, JsonNode> env() {
        Map<String, JsonNode> env = new LinkedHashMap<>();
        mainContainer().path("env").forEach(e -> env.put(e.path("name").asText(), e));
        return env;
    }

    /** "secret/key" of the Secret an environment variable comes from, after checking the manifest's Secret has it. */
    private static String secretRef(String variable) {
        assertThat(env()).containsKey(variable);
        JsonNode ref = env().get(variable).at("/valueFrom/secretKeyRef");
        String name = ref.path("name").asText();
        String key = ref.path("key").asText();
        assertThat(ofKind("Secret")).as("a Secret %s with key %s", name, key)
                .anySatisfy(s -> {
                    assertThat(s.at("/metadata/name").asText()).isEqualTo(name);
                    assertThat(s.path("stringData").has(key)).isTrue();
                });
        return name + "/" + key;
    }

    /** Every text value under {@code node} by its path of field names and array indexes, separated by "/". */
    private static void collectTexts(JsonNode node, String path, Map<String, String> out) {
        if (node.isTextual()) {
            out.put(path, node.asText());
        } else if (node.isObject()) {
            node.fields().forEachRemaining(e -> collectTexts(e.getValue(), path + "/" + e.getKey(), out));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectTexts(node.get(i), path + "/" + i, out);
            }
        }
    }

    /** The Dockerfile's instructions, comments dropped and continuation lines joined. */
    private static List<String> dockerInstructions() throws IOException {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(DOCKERFILE)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            boolean continues = trimmed.endsWith("\\");
            current.append(continues ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
            if (!continues) {
                instructions.add(current.toString().strip());
                current.setLength(0);
            }
        }
        return instructions;
    }

    private static String substitute(String text, Map<String, String> args) {
        String result = text;
        for (Map.Entry<String, String> a : args.entrySet()) {
            result = result.replace("${" + a.getKey() + "}", a.getValue()).replace("$" + a.getKey(), a.getValue());
        }
        return result;
    }

    /** Docker's rule: the last pattern of the ignore file that matches a path decides; a leading ! keeps the path. */
    private static boolean ignoredByDocker(String path) throws IOException {
        boolean ignored = false;
        for (String line : Files.readAllLines(DOCKERIGNORE)) {
            String pattern = line.strip();
            if (pattern.isEmpty() || pattern.startsWith("#")) {
                continue;
            }
            boolean keep = pattern.startsWith("!");
            String glob = keep ? pattern.substring(1) : pattern;
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
            // A pattern that matches a folder matches everything in it.
            for (Path p = Path.of(path); p != null; p = p.getParent()) {
                if (matcher.matches(p)) {
                    ignored = !keep;
                    break;
                }
            }
        }
        return ignored;
    }

    private static String projectVersion() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        org.w3c.dom.Node project = pom.getDocumentElement();
        for (org.w3c.dom.Node n = project.getFirstChild(); n != null; n = n.getNextSibling()) {
            if ("version".equals(n.getNodeName())) {
                return n.getTextContent().strip();
            }
        }
        throw new AssertionError("pom.xml has no project version");
    }
}
