package com.expressmonitor.io;

import com.expressmonitor.alert.Alert;
import com.expressmonitor.alert.RuleResult;
import com.expressmonitor.alert.RuleUpdateRecord;
import com.expressmonitor.config.KafkaSettings;
import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.district.DistrictMetrics;
import com.expressmonitor.event.LateEvent;
import com.expressmonitor.event.ScanParser;
import com.expressmonitor.event.ScanRecord;
import com.expressmonitor.io.Outputs;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kafka sources ({@code --source kafka}: scans, and rule updates from the control topic) and the exactly-once
 * Kafka sinks ({@code --sink kafka}: the four outputs and the results of rule updates).
 *
 * <p>Every {@code kafka.properties.*} entry reaches the consumer and the producers (SASL, SSL and the like). A value
 * may refer to an environment variable as {@code ${NAME}}: the reference is rewritten to one for
 * {@link EnvConfigProvider}, so that the Kafka client resolves it when it is created on the Flink worker. The
 * secret itself is never in the job graph, the job's parameters, a log line or a {@code toString}.
 */
public final class KafkaIo {
    /** Not a Kafka client property: overrides the transactional-id prefix of the sinks (default: the group id). */
    public static final String TRANSACTIONAL_ID_PREFIX = "transactional.id.prefix";
    /** Producer transaction timeout unless {@code kafka.properties.transaction.timeout.ms} is given: 10 minutes. */
    public static final String DEFAULT_TRANSACTION_TIMEOUT_MS = "600000";
    /** Checkpoint interval used with {@code --sink kafka} unless the {@code flink:} section sets one. */
    public static final String DEFAULT_CHECKPOINT_INTERVAL = "10s";
    public static final String CHECKPOINT_INTERVAL_KEY = "execution.checkpointing.interval";

    /** The alias under which {@link EnvConfigProvider} is registered with the Kafka clients. */
    static final String ENV_PROVIDER = "monitorenv";
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)\\}");

    public static final String METRICS = "district-metrics";
    public static final String ALERTS = "alerts";
    public static final String DEAD_LETTER = "dead-letter";
    public static final String LATE_EVENTS = "late-events";
    public static final String RULE_RESULTS = "alert-rules-results";
    /** The key of every control and result record: one partition holds them all, in order. */
    public static final String RULES_KEY = "alert-rules";

    private KafkaIo() {}

    /**
     * The scans' source: each partition an input partition, watermark-aligned by the pipeline, bounded with
     * {@code kafka.bounded} ({@link AlignedKafkaSource} keeps a bounded run from failing as a partition ends).
     */
    public static AlignedKafkaSource<ScanRecord> source(MonitorConfig config, ScanParser parser) {
        KafkaSettings k = config.kafka();
        KafkaScanDeserializer deserializer = new KafkaScanDeserializer(parser);
        KafkaSourceBuilder<ScanRecord> builder = KafkaSource.<ScanRecord>builder()
                .setProperties(consumerProperties(k))
                .setBootstrapServers(k.bootstrapServers())
                .setGroupId(k.groupId())
                .setTopics(k.scanEventsTopic())
                .setStartingOffsets(startingOffsets(k.startingOffsets()))
                .setDeserializer(deserializer);
        if (k.bounded()) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return new AlignedKafkaSource<>(builder.build(), deserializer);
    }

    /**
     * The control topic of rule updates ({@code kafka.topics.alert-rules}). A job that starts without a savepoint
     * reads it from the beginning, so that it starts with the newest rules sent so far (older versions are answered
     * as ignored), unless it is asked to start with the file's rules ({@code fromFile}): then from the updates sent
     * after this moment (a time fixed now, not at each restart, so that a restart before the first checkpoint does
     * not skip updates sent meanwhile). A restored job goes on from the offsets in its state. Bounded like the scan
     * source with {@code kafka.bounded}.
     */
    public static KafkaSource<RuleUpdateRecord> ruleUpdatesSource(KafkaSettings k, boolean fromFile) {
        KafkaSourceBuilder<RuleUpdateRecord> builder = KafkaSource.<RuleUpdateRecord>builder()
                .setProperties(consumerProperties(k))
                .setBootstrapServers(k.bootstrapServers())
                .setGroupId(k.groupId())
                .setClientIdPrefix(k.groupId() + "-" + RULES_KEY) // two sources of one job need their own client ids
                .setTopics(k.alertRulesTopic())
                .setStartingOffsets(fromFile ? OffsetsInitializer.timestamp(System.currentTimeMillis())
                        : OffsetsInitializer.earliest())
                .setDeserializer(new KafkaRuleUpdateDeserializer());
        if (k.bounded()) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    static OffsetsInitializer startingOffsets(String startingOffsets) {
        return switch (startingOffsets) {
            case "earliest" -> OffsetsInitializer.earliest();
            case "latest" -> OffsetsInitializer.latest();
            default -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        };
    }

    public static Outputs outputs(MonitorConfig config, OutputJson json) {
        KafkaSettings k = config.kafka();
        return new Outputs(
                sink(k, METRICS, new KafkaJsonSerializer<DistrictMetrics>(k.districtMetricsTopic(), json::metrics,
                        DistrictMetrics::key)),
                sink(k, ALERTS, new KafkaJsonSerializer<Alert>(k.alertsTopic(), json::alert, Alert::alertId)),
                sink(k, DEAD_LETTER, new KafkaDeadLetterSerializer(k.deadLetterTopic())),
                sink(k, LATE_EVENTS, new KafkaJsonSerializer<LateEvent>(k.lateEventsTopic(), json::lateEvent,
                        l -> l.event().waybillNo())),
                sink(k, RULE_RESULTS, new KafkaJsonSerializer<RuleResult>(k.alertRulesResultsTopic(), json::ruleResult,
                        r -> RULES_KEY)));
    }

    private static <T> RestoreAwareKafkaSink<T> sink(KafkaSettings k, String output,
            KafkaRecordSerializationSchema<T> serializer) {
        KafkaSink<T> sink = KafkaSink.<T>builder()
                .setKafkaProducerConfig(producerProperties(k))
                .setBootstrapServers(k.bootstrapServers())
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix(k, output))
                .setRecordSerializer(serializer)
                .build();
        return new RestoreAwareKafkaSink<>(sink, adminProperties(k));
    }

    /** An admin client's properties: {@code kafka.properties} (security and the like) and the bootstrap servers. */
    public static Properties adminProperties(KafkaSettings k) {
        Properties p = clientProperties(k);
        p.setProperty("bootstrap.servers", k.bootstrapServers());
        return p;
    }

    /**
     * The transactional-id prefix of one output: stable across restarts (so that lingering transactions of a
     * previous run are aborted) and different per job and output. {@code GROUP_ID-OUTPUT}, or
     * {@code PREFIX-OUTPUT} with {@code kafka.properties.transactional.id.prefix}.
     */
    public static String transactionalIdPrefix(KafkaSettings k, String output) {
        String prefix = k.properties().get(TRANSACTIONAL_ID_PREFIX);
        return (prefix == null || prefix.isBlank() ? k.groupId() : prefix) + "-" + output;
    }

    /** The consumer's properties: read_committed by default, then {@code kafka.properties}, then the settings. */
    public static Properties consumerProperties(KafkaSettings k) {
        Properties p = new Properties();
        p.setProperty("isolation.level", "read_committed");
        p.putAll(clientProperties(k));
        p.setProperty("bootstrap.servers", k.bootstrapServers());
        p.setProperty("group.id", k.groupId());
        return p;
    }

    /** A producer's properties: a transaction timeout the broker accepts, then {@code kafka.properties}. */
    public static Properties producerProperties(KafkaSettings k) {
        Properties p = new Properties();
        p.setProperty("transaction.timeout.ms", DEFAULT_TRANSACTION_TIMEOUT_MS);
        p.putAll(clientProperties(k));
        p.setProperty("bootstrap.servers", k.bootstrapServers());
        return p;
    }

    /**
     * {@code kafka.properties} as the clients get them: {@code ${NAME}} references rewritten for
     * {@link EnvConfigProvider} (which is then registered), the monitor's own keys left out.
     */
    public static Properties clientProperties(KafkaSettings k) {
        Properties p = new Properties();
        boolean references = false;
        for (Map.Entry<String, String> e : k.properties().entrySet()) {
            if (e.getKey().equals(TRANSACTIONAL_ID_PREFIX) || e.getValue() == null) {
                continue;
            }
            Matcher m = ENV_REFERENCE.matcher(e.getValue());
            if (m.find()) {
                references = true;
                p.setProperty(e.getKey(), m.replaceAll(r -> Matcher.quoteReplacement("${" + ENV_PROVIDER + ":" + r.group(1) + "}")));
            } else {
                p.setProperty(e.getKey(), e.getValue());
            }
        }
        if (references) {
            String providers = p.getProperty("config.providers");
            p.setProperty("config.providers",
                    providers == null || providers.isBlank() ? ENV_PROVIDER : providers + "," + ENV_PROVIDER);
            p.setProperty("config.providers." + ENV_PROVIDER + ".class", EnvConfigProvider.class.getName());
        }
        return p;
    }

    /**
     * The environment variables that {@code kafka.properties} refer to as {@code ${NAME}} and that are not set in
     * this process. On a cluster they only need to be set where the Kafka clients run (the Flink processes); in a
     * local run that is this process, so a missing one is a configuration error found at start-up.
     */
    public static java.util.SortedSet<String> missingEnvironmentVariables(KafkaSettings k) {
        java.util.SortedSet<String> missing = new java.util.TreeSet<>();
        for (String value : k.properties().values()) {
            Matcher m = ENV_REFERENCE.matcher(value == null ? "" : value);
            while (m.find()) {
                if (System.getenv(m.group(1)) == null) {
                    missing.add(m.group(1));
                }
            }
        }
        return missing;
    }

    /**
     * Exactly-once output commits on checkpoints: with {@code --sink kafka} and no
     * {@code flink.execution.checkpointing.interval}, checkpoint every {@value #DEFAULT_CHECKPOINT_INTERVAL}.
     */
    public static void checkpointingDefaults(Configuration flink, Map<String, String> flinkSection) {
        if (!flinkSection.containsKey(CHECKPOINT_INTERVAL_KEY)) {
            flink.setString(CHECKPOINT_INTERVAL_KEY, DEFAULT_CHECKPOINT_INTERVAL);
        }
    }
}
