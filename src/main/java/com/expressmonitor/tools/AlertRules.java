package com.expressmonitor.tools;

import com.expressmonitor.config.ArgumentPairs.UsageException;
import com.expressmonitor.config.ConfigException;
import com.expressmonitor.config.ConfigLoader;
import com.expressmonitor.config.Durations;
import com.expressmonitor.config.KafkaSettings;
import com.expressmonitor.config.RuleUpdate;
import com.expressmonitor.config.Rules;
import com.expressmonitor.io.KafkaIo;
import com.expressmonitor.io.KafkaPreflight;
import com.expressmonitor.io.StartupCheckException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The alert rules of a running monitor ({@code jobs/rules.sh}): {@code show} prints the rules in force, as the job
 * last reported them in the results topic, in the configuration's YAML shape; {@code send FILE} checks an update
 * (YAML or JSON) against those rules with the configuration's own validation, writes it to the control topic and
 * waits for the job's answer.
 *
 * <pre>
 * java -cp express-traffic-monitor.jar com.expressmonitor.tools.AlertRules show [--config FILE] [--kafka.KEY V]
 * java -cp express-traffic-monitor.jar com.expressmonitor.tools.AlertRules send FILE [--version N] [--timeout 60s]
 * </pre>
 *
 * Exit status of {@code send}: 0 applied; 2 an update that fails the check (nothing is sent); 1 rejected or ignored
 * by the job, or no answer within the timeout.
 */
public final class AlertRules {
    static final String TOOL = "alert-rules";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private AlertRules() {}

    public static void main(String[] args) {
        ToolArgs.run(TOOL, () -> run(args, System.out));
    }

    /** What {@link #main} does, printing to {@code out} and returning the exit status (for tests). */
    public static int status(String[] args, PrintStream out) {
        return ToolArgs.status(TOOL, () -> run(args, out));
    }

    private static void run(String[] args, PrintStream out) throws Exception {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            throw new ToolArgs.HelpRequested();
        }
        if (args.length == 0 || args[0].startsWith("-")) {
            throw new UsageException("give a command: show, or send FILE (--help lists the options)");
        }
        switch (args[0]) {
            case "show" -> show(ToolArgs.parse(Arrays.copyOfRange(args, 1, args.length), Set.of()), out);
            case "send" -> {
                if (args.length < 2 || args[1].startsWith("--")) {
                    throw new UsageException("send needs the update's file, as in send rules-update.yaml");
                }
                send(Path.of(args[1]), ToolArgs.parse(Arrays.copyOfRange(args, 2, args.length),
                        Set.of("version", "timeout")), out);
            }
            default -> throw new UsageException("unknown command '" + args[0] + "'; use show, or send FILE");
        }
    }

    // ------------------------------------------------------------------------------------------------ show

    private static void show(ToolArgs a, PrintStream out) throws IOException {
        KafkaSettings k = a.config.kafka();
        KafkaPreflight.check(k, Map.of("kafka.topics.alert-rules-results", k.alertRulesResultsTopic()),
                KafkaPreflight.TIMEOUT);
        JsonNode applied = null;
        for (JsonNode r : results(k, null, Duration.ofSeconds(30))) {
            if ("APPLIED".equals(r.path("status").asText())) {
                applied = r;
            }
        }
        if (applied == null) {
            throw new StartupCheckException(1, "no rules in " + k.alertRulesResultsTopic() + " yet: the monitor "
                    + "writes the rules it starts with there when it runs with --sink kafka");
        }
        out.println("# alert rules version " + applied.path("rulesVersion").asLong() + ": " + applied.path("detail")
                .asText());
        out.println("# applied " + applied.path("appliedAt").asText() + " (" + applied.path("source").asText() + ")");
        out.print(YAML.writeValueAsString(applied.path("rules")));
    }

    // ------------------------------------------------------------------------------------------------ send

    private static void send(Path file, ToolArgs a, PrintStream out) throws Exception {
        KafkaSettings k = a.config.kafka();
        if (k.alertRulesTopic() == null) {
            throw new ConfigException("kafka.topics.alert-rules", "is null: the monitor reads no rule updates; name "
                    + "the control topic");
        }
        JsonNode node;
        try {
            node = YAML.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new StartupCheckException(2, "cannot read the update " + file + ": " + e.getMessage(), e);
        }
        RuleUpdate update = RuleUpdate.parse(node, false, false);
        long timeout = Durations.parse("timeout", a.option("timeout", "60s"));
        // A first check without Kafka, against the configuration's rules: almost every mistake shows here at once.
        update.applyTo(a.config.rules());

        Map<String, String> topics = new LinkedHashMap<>();
        topics.put("kafka.topics.alert-rules", k.alertRulesTopic());
        topics.put("kafka.topics.alert-rules-results", k.alertRulesResultsTopic());
        KafkaPreflight.check(k, topics, KafkaPreflight.TIMEOUT);

        // The rules in force as the job last reported them (or the configuration's, before it has): the update is
        // checked against them exactly as the job will check it.
        List<JsonNode> before = results(k, null, Duration.ofSeconds(30));
        JsonNode last = before.isEmpty() ? null : before.get(before.size() - 1);
        Rules inForce = last == null ? a.config.rules() : ConfigLoader.rulesFromJson(last.path("rules").toString());
        long versionInForce = last == null ? 0 : last.path("rulesVersion").asLong();
        if (a.options.containsKey("version")) {
            long v = a.longOption("version", 0);
            if (v < 1) {
                throw new ConfigException("version", "must be a whole number of at least 1, got " + v);
            }
            update = update.withVersion(v);
        } else if (update.version() == null) {
            update = update.withVersion(versionInForce + 1);
        }
        update.applyTo(inForce); // a ConfigException here: exit 2, nothing sent

        Map<TopicPartition, Long> resultsEnd = endOffsets(k, k.alertRulesResultsTopic());
        RecordMetadata sent;
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(a.producerProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
            sent = producer.send(new ProducerRecord<>(k.alertRulesTopic(), KafkaIo.RULES_KEY.getBytes(StandardCharsets.UTF_8),
                    update.toJson().getBytes(StandardCharsets.UTF_8))).get();
        }
        String source = "kafka:" + sent.topic() + "/" + sent.partition() + "/" + sent.offset();
        out.println("sent version " + update.version() + " to " + k.alertRulesTopic() + " (" + source
                + "); waiting for the monitor's answer in " + k.alertRulesResultsTopic());
        JsonNode answer = null;
        for (JsonNode r : results(k, resultsEnd, Duration.ofMillis(timeout), source)) {
            answer = r;
        }
        if (answer == null) {
            throw new StartupCheckException(1, "no answer in " + k.alertRulesResultsTopic() + " within "
                    + Durations.format(timeout) + "; is the monitor running with --source kafka? It applies the "
                    + "update when it reads it");
        }
        String status = answer.path("status").asText();
        out.println("version " + update.version() + " " + status + ": " + answer.path("detail").asText());
        if (!status.equals("APPLIED")) {
            throw new StartupCheckException(1, "version " + update.version() + " was " + status.toLowerCase()
                    + "; the rules in force stay version " + answer.path("rulesVersion").asLong());
        }
    }

    // --------------------------------------------------------------------------------------------- reading

    private static Properties consumerProperties(KafkaSettings k) {
        Properties p = KafkaIo.clientProperties(k);
        p.setProperty("bootstrap.servers", k.bootstrapServers());
        p.setProperty("isolation.level", "read_committed");
        p.setProperty("enable.auto.commit", "false");
        return p;
    }

    private static Map<TopicPartition, Long> endOffsets(KafkaSettings k, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(consumerProperties(k), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            return consumer.endOffsets(consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList());
        }
    }

    /** The committed results from {@code from} (null: the beginning) to the end, in order. */
    private static List<JsonNode> results(KafkaSettings k, Map<TopicPartition, Long> from, Duration timeout) {
        return results(k, from, timeout, null);
    }

    /**
     * The committed results from {@code from} (null: the beginning): up to the end of the topic, or, with
     * {@code source}, until the answer to the update from that source arrives (then only that answer) or the timeout
     * passes (then none).
     */
    private static List<JsonNode> results(KafkaSettings k, Map<TopicPartition, Long> from, Duration timeout,
            String source) {
        String topic = k.alertRulesResultsTopic();
        List<JsonNode> read = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(consumerProperties(k), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            for (TopicPartition tp : partitions) {
                if (from == null || !from.containsKey(tp)) {
                    consumer.seekToBeginning(List.of(tp));
                } else {
                    consumer.seek(tp, from.get(tp));
                }
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    JsonNode result;
                    try {
                        result = JSON.readTree(r.value());
                    } catch (IOException | RuntimeException e) {
                        continue; // not a result of the monitor
                    }
                    if (source == null) {
                        read.add(result);
                    } else if (source.equals(result.path("source").asText())) {
                        return List.of(result);
                    }
                }
                if (source == null && partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp))) {
                    break;
                }
            }
        }
        // In the order written: every result has the same key, so they are all in one partition, whatever its count.
        return source == null ? read : List.of();
    }
}
