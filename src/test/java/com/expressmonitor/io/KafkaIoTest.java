package com.expressmonitor.io;

import com.expressmonitor.config.ConfigLoader;
import com.expressmonitor.config.KafkaSettings;
import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.event.DeadLetter;
import com.expressmonitor.event.FacilityType;
import com.expressmonitor.event.RejectReason;
import com.expressmonitor.event.ScanParser;
import com.expressmonitor.event.ScanRecord;
import com.expressmonitor.job.MonitorPipeline;
import com.expressmonitor.job.ScanInput;
import com.expressmonitor.testing.PipelineRun;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.InstantiationUtil;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Kafka source's record reading, the sinks' record writing, and the client properties built by {@link KafkaIo}. */
class KafkaIoTest {
    /** Set by the build's test configuration (surefire), standing in for a real secret. */
    static final String SECRET_VAR = "EXPRESS_MONITOR_TEST_SECRET";
    static final String SECRET = "kafka-test-secret-4711";

    private static final byte[] VALID = ("{\"eventId\":\"e1\",\"waybillNo\":\"SF1\",\"scanType\":\"ARRIVED\","
            + "\"facilityId\":\"F1\",\"facilityType\":\"STATION\",\"districtCode\":\"330482\","
            + "\"eventTime\":\"2026-11-11T09:00:00+08:00\"}").getBytes(StandardCharsets.UTF_8);

    private static MonitorConfig config(Map<String, String> overrides) {
        return ConfigLoader.load(null, overrides);
    }

    private static Map<String, String> securityOverrides() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("kafka.bootstrap-servers", "localhost:19092");
        o.put("kafka.properties.security.protocol", "SASL_PLAINTEXT");
        o.put("kafka.properties.sasl.mechanism", "PLAIN");
        o.put("kafka.properties.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                + "username=\"monitor\" password=\"${" + SECRET_VAR + "}\";");
        o.put("kafka.properties.x.dummy.property", "${" + SECRET_VAR + "}");
        o.put("kafka.properties.client.dns.lookup", "use_all_dns_ips");
        return o;
    }

    private static ScanParser parser() {
        return new ScanParser(Map.of(), Duration.ofDays(1).toMillis(), () -> PipelineRun.NOW);
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic, int partition, long offset, byte[] value,
            Header... headers) {
        return new ConsumerRecord<>(topic, partition, offset, 0L, TimestampType.CREATE_TIME, 0, value == null ? -1 : value.length,
                null, value, new RecordHeaders(headers), Optional.empty());
    }

    @Test
    void theSecretIsInTheEnvironmentOfTheTests() {
        assertThat(System.getenv(SECRET_VAR)).isEqualTo(SECRET);
    }

    @Test
    void everyPropertyReachesConsumerAndProducersWithEnvReferencesLeftForTheClient() {
        KafkaSettings k = config(securityOverrides()).kafka();
        for (Properties p : List.of(KafkaIo.consumerProperties(k), KafkaIo.producerProperties(k))) {
            assertThat(p.getProperty("security.protocol")).isEqualTo("SASL_PLAINTEXT");
            assertThat(p.getProperty("sasl.mechanism")).isEqualTo("PLAIN");
            assertThat(p.getProperty("client.dns.lookup")).isEqualTo("use_all_dns_ips");
            assertThat(p.getProperty("sasl.jaas.config"))
                    .contains("password=\"${monitorenv:" + SECRET_VAR + "}\"").doesNotContain(SECRET);
            assertThat(p.getProperty("x.dummy.property")).isEqualTo("${monitorenv:" + SECRET_VAR + "}");
            assertThat(p.getProperty("config.providers")).isEqualTo("monitorenv");
            assertThat(p.getProperty("config.providers.monitorenv.class")).isEqualTo(EnvConfigProvider.class.getName());
            assertThat(p.getProperty("bootstrap.servers")).isEqualTo("localhost:19092");
            assertThat(p.toString()).doesNotContain(SECRET);
        }
        assertThat(KafkaIo.consumerProperties(k).getProperty("group.id")).isEqualTo("express-traffic-monitor");
        assertThat(KafkaIo.consumerProperties(k).getProperty("isolation.level")).isEqualTo("read_committed");
        assertThat(KafkaIo.producerProperties(k).getProperty("transaction.timeout.ms")).isEqualTo("600000");
    }

    @Test
    void theKafkaClientResolvesTheReferenceWhenItIsCreated() {
        Properties p = KafkaIo.consumerProperties(config(securityOverrides()).kafka());
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        ConsumerConfig resolved = new ConsumerConfig(p);
        assertThat(resolved.getPassword("sasl.jaas.config").value()).contains("password=\"" + SECRET + "\"");
        assertThat(resolved.originals().get("x.dummy.property")).isEqualTo(SECRET);
        assertThat(resolved.toString()).doesNotContain(SECRET);
    }

    @Test
    void aMissingEnvironmentVariableStopsTheClientNamingTheVariable() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("kafka.properties.sasl.jaas.config", "x password=\"${EXPRESS_MONITOR_NOT_SET_ANYWHERE}\";");
        Properties p = KafkaIo.consumerProperties(config(o).kafka());
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        assertThatThrownBy(() -> new ConsumerConfig(p)).hasMessageContaining("EXPRESS_MONITOR_NOT_SET_ANYWHERE");
    }

    @Test
    void referencesToUnsetVariablesAreFoundWithoutReadingTheSetOnes() {
        Map<String, String> o = new LinkedHashMap<>(securityOverrides());
        o.put("kafka.properties.ssl.key.password", "${EXPRESS_MONITOR_NOT_SET_B}-${EXPRESS_MONITOR_NOT_SET_A}");
        assertThat(KafkaIo.missingEnvironmentVariables(config(o).kafka()))
                .containsExactly("EXPRESS_MONITOR_NOT_SET_A", "EXPRESS_MONITOR_NOT_SET_B");
        assertThat(KafkaIo.missingEnvironmentVariables(config(securityOverrides()).kafka())).isEmpty();
    }

    @Test
    void secretsAreNotInToStringTheJobGraphOrTheClientLogs() throws Exception {
        MonitorConfig config = config(securityOverrides());
        assertThat(config.kafka().toString()).contains("sasl.jaas.config=****").doesNotContain("monitor\"")
                .doesNotContain(SECRET_VAR);
        assertThat(config.toString()).doesNotContain(SECRET).doesNotContain(SECRET_VAR).doesNotContain("PlainLoginModule");

        // The job as it would be submitted: neither its configuration, its parameters nor its serialized
        // operators (the Kafka source and sinks included) hold the secret.
        Configuration flink = new Configuration();
        MonitorPipeline.flinkDefaults().forEach(flink::setString);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        KafkaIo.checkpointingDefaults(flink, config.flink());
        MonitorPipeline.build(env, config, new ScanInput(KafkaIo.source(config, parser()), true, "Kafka", "source-kafka"),
                KafkaIo.outputs(config, new OutputJson(config.zoneOffsetSeconds())));
        JobGraph graph = env.getStreamGraph().getJobGraph();
        assertThat(graph.getJobConfiguration().toString()).doesNotContain(SECRET);
        assertThat(env.getConfig().getGlobalJobParameters().toMap().toString()).doesNotContain(SECRET);
        assertThat(env.getConfiguration().toString()).doesNotContain(SECRET);
        String serialized = new String(InstantiationUtil.serializeObject(graph), StandardCharsets.ISO_8859_1);
        assertThat(serialized).doesNotContain(SECRET);
        String source = new String(InstantiationUtil.serializeObject(KafkaIo.source(config, parser())),
                StandardCharsets.ISO_8859_1);
        assertThat(source).contains("${monitorenv:" + SECRET_VAR + "}").doesNotContain(SECRET);

        // A real client at INFO level logs its whole configuration: the secret must not be in it.
        List<String> logged = Collections.synchronizedList(new ArrayList<>());
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        AbstractAppender appender = new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                logged.add(event.getMessage().getFormattedMessage());
            }
        };
        appender.start();
        // Kafka's loggers at INFO into the capture only (not to the console), for the time of this check.
        LoggerConfig kafkaLogs = new LoggerConfig("org.apache.kafka", Level.INFO, false);
        kafkaLogs.addAppender(appender, Level.INFO, null);
        ctx.getConfiguration().addLogger("org.apache.kafka", kafkaLogs);
        ctx.updateLoggers();
        try {
            Properties p = KafkaIo.consumerProperties(config.kafka());
            try (KafkaConsumer<byte[], byte[]> consumer =
                    new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                assertThat(consumer).isNotNull();
            }
        } finally {
            ctx.getConfiguration().removeLogger("org.apache.kafka");
            ctx.updateLoggers();
            appender.stop();
        }
        assertThat(logged).anyMatch(l -> l.contains("sasl.jaas.config = [hidden]"));
        assertThat(String.join("\n", logged)).doesNotContain(SECRET);
    }

    @Test
    void transactionalIdsAreStablePerJobAndOutputAndTheTimeoutStaysUnderTheBrokerCap() {
        KafkaSettings k = config(Map.of("kafka.group-id", "monitor-east")).kafka();
        assertThat(KafkaIo.transactionalIdPrefix(k, KafkaIo.ALERTS)).isEqualTo("monitor-east-alerts");
        assertThat(KafkaIo.transactionalIdPrefix(k, KafkaIo.METRICS)).isEqualTo("monitor-east-district-metrics");
        assertThat(Long.parseLong(KafkaIo.producerProperties(k).getProperty("transaction.timeout.ms")))
                .isLessThanOrEqualTo(Duration.ofMinutes(15).toMillis());

        KafkaSettings custom = config(Map.of("kafka.properties.transactional.id.prefix", "etm-prod",
                "kafka.properties.transaction.timeout.ms", "900000")).kafka();
        assertThat(KafkaIo.transactionalIdPrefix(custom, KafkaIo.DEAD_LETTER)).isEqualTo("etm-prod-dead-letter");
        assertThat(KafkaIo.producerProperties(custom).getProperty("transaction.timeout.ms")).isEqualTo("900000");
        assertThat(KafkaIo.producerProperties(custom)).doesNotContainKey("transactional.id.prefix");
        assertThat(KafkaIo.consumerProperties(custom)).doesNotContainKey("transactional.id.prefix");
    }

    @Test
    void kafkaOutputTurnsCheckpointingOnUnlessConfigured() {
        Configuration flink = new Configuration();
        KafkaIo.checkpointingDefaults(flink, Map.of());
        assertThat(flink.toMap()).containsEntry("execution.checkpointing.interval", "10s");

        Configuration given = Configuration.fromMap(Map.of("execution.checkpointing.interval", "1min"));
        KafkaIo.checkpointingDefaults(given, Map.of("execution.checkpointing.interval", "1min"));
        assertThat(given.toMap()).containsEntry("execution.checkpointing.interval", "1min");
    }

    @Test
    void readsValidRecordsAndRejectsEverythingElseWithoutThrowing() {
        KafkaScanDeserializer d = new KafkaScanDeserializer(parser());
        ScanRecord valid = d.read(record("express.scan-events", 3, 42, VALID, header("trace", "t-1")));
        assertThat(valid.isValid()).isTrue();
        assertThat(valid.source()).isEqualTo("kafka:express.scan-events/3/42");
        assertThat(valid.headerKeys).isNull(); // only rejected records carry headers

        ScanRecord nullValue = d.read(record("express.scan-events", 3, 43, null, header("trace", "t-2")));
        assertThat(nullValue.reason).isEqualTo(RejectReason.MALFORMED_JSON);
        assertThat(nullValue.source()).isEqualTo("kafka:express.scan-events/3/43");
        assertThat(nullValue.headerKeys).containsExactly("trace");
        assertThat(nullValue.headerValues[0]).isEqualTo("t-2".getBytes(StandardCharsets.UTF_8));

        ScanRecord empty = d.read(record("express.scan-events", 0, 7, new byte[0]));
        assertThat(empty.reason).isEqualTo(RejectReason.MALFORMED_JSON);
        assertThat(empty.headerKeys).isEmpty();

        ScanRecord notUtf8 = d.read(record("express.scan-events", 0, 8, new byte[] {(byte) 0xff, (byte) 0xfe}));
        assertThat(notUtf8.reason).isEqualTo(RejectReason.MALFORMED_JSON);
        assertThat(notUtf8.raw).containsExactly((byte) 0xff, (byte) 0xfe);

        ScanRecord missing = d.read(record("express.scan-events", 1, 9, "{\"eventId\":\"x\"}".getBytes(StandardCharsets.UTF_8)));
        assertThat(missing.reason).isEqualTo(RejectReason.MISSING_FIELD);
        assertThat(missing.detail).contains("kafka:express.scan-events/1/9");

        // The partition prefix is built once per partition, not per record.
        ScanRecord again = d.read(record("express.scan-events", 3, 44, VALID));
        assertThat(again.partition).isSameAs(valid.partition);
        assertThat(d.prefix("express.scan-events", 100)).isEqualTo("kafka:express.scan-events/100/");
    }

    @Test
    void scanRecordsAndDeadLettersStayFlinkPojos() throws Exception {
        TypeInformation<ScanRecord> type = TypeInformation.of(ScanRecord.class);
        assertThat(type).isInstanceOf(PojoTypeInfo.class);
        SerializerConfigImpl noKryo = new SerializerConfigImpl();
        noKryo.setGenericTypes(false);
        TypeSerializer<ScanRecord> serializer = type.createSerializer(noKryo);
        ScanRecord r = new KafkaScanDeserializer(parser()).read(record("t", 0, 5, "nope".getBytes(StandardCharsets.UTF_8),
                header("a", "1"), new org.apache.kafka.common.header.internals.RecordHeader("b", null)));
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(r, out);
        ScanRecord copy = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(copy).isEqualTo(r);
        assertThat(copy.headerKeys).containsExactly("a", "b");
        assertThat(copy.headerValues[1]).isNull();

        assertThat(TypeInformation.of(DeadLetter.class).createSerializer(noKryo)).isNotNull();
    }

    @Test
    void deadLettersGoOutRawWithTheirHeadersAndWhereTheyCameFrom() {
        KafkaDeadLetterSerializer s = new KafkaDeadLetterSerializer("express.dead-letter");
        DeadLetter fromKafka = new DeadLetter(RejectReason.MISSING_FIELD, "field 'eventTime' is missing",
                "{\"eventId\":\"x\"}".getBytes(StandardCharsets.UTF_8), "kafka:express.scan-events/2/1234",
                new String[] {"trace"}, new byte[][] {"t-9".getBytes(StandardCharsets.UTF_8)});
        ProducerRecord<byte[], byte[]> r = s.serialize(fromKafka, null, 99L);
        assertThat(r.topic()).isEqualTo("express.dead-letter");
        assertThat(r.value()).isEqualTo(fromKafka.raw());
        assertThat(headers(r)).containsExactly(
                Map.entry("trace", "t-9"),
                Map.entry("dlq.reason", "MISSING_FIELD"),
                Map.entry("dlq.detail", "field 'eventTime' is missing"),
                Map.entry("dlq.source.topic", "express.scan-events"),
                Map.entry("dlq.source.partition", "2"),
                Map.entry("dlq.source.offset", "1234"));

        DeadLetter fromFile = new DeadLetter(RejectReason.MALFORMED_JSON, "not JSON",
                "{".getBytes(StandardCharsets.UTF_8), "file:feed.jsonl:7");
        assertThat(headers(s.serialize(fromFile, null, null))).containsExactly(
                Map.entry("dlq.reason", "MALFORMED_JSON"),
                Map.entry("dlq.detail", "not JSON"),
                Map.entry("dlq.source", "file:feed.jsonl:7"));
    }

    @Test
    void outputRecordsAreKeyedForTheirConsumers() {
        MonitorConfig config = ConfigLoader.defaults();
        OutputJson json = new OutputJson(config.zoneOffsetSeconds());
        var metrics = new com.expressmonitor.district.DistrictMetrics("330482", "平湖市", FacilityType.STATION,
                1_000L, 301_000L, 1, 2, 3, 4, 5, 6, null);
        KafkaJsonSerializer<com.expressmonitor.district.DistrictMetrics> s = new KafkaJsonSerializer<>("m",
                json::metrics, com.expressmonitor.district.DistrictMetrics::key);
        ProducerRecord<byte[], byte[]> r = s.serialize(metrics, null, 300_999L);
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("330482/STATION");
        assertThat(r.value()).isEqualTo(json.metrics(metrics));
        // Stamped by the producer when written, whatever the window's time: a broker never refuses or expires it.
        assertThat(r.timestamp()).isNull();
    }

    private static Header header(String key, String value) {
        return new org.apache.kafka.common.header.internals.RecordHeader(key, value.getBytes(StandardCharsets.UTF_8));
    }

    private static List<Map.Entry<String, String>> headers(ProducerRecord<byte[], byte[]> r) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (Header h : r.headers()) {
            out.add(Map.entry(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
        }
        return out;
    }
}
