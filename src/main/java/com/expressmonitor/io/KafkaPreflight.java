package com.expressmonitor.io;

import com.expressmonitor.config.KafkaSettings;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RetriableException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Checks, before a job that reads or writes Kafka is built, that the cluster answers with the job's own client
 * properties and has the topics the job needs, so that a broker that is down, refused credentials or a missing topic
 * is one line naming it within {@link #TIMEOUT}, instead of a job that retries for minutes and then fails with a
 * long stack trace.
 */
public final class KafkaPreflight {
    /** How long the cluster has to answer. */
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private KafkaPreflight() {}

    /**
     * The topics a run needs, by configuration key: the input topic and the control topic of rule updates (unless
     * turned off) when reading Kafka, the four output topics and the results of rule updates when writing to it.
     */
    public static Map<String, String> neededTopics(KafkaSettings k, boolean source, boolean sink) {
        Map<String, String> topics = new LinkedHashMap<>();
        if (source) {
            topics.put("kafka.topics.scan-events", k.scanEventsTopic());
            if (k.alertRulesTopic() != null) {
                topics.put("kafka.topics.alert-rules", k.alertRulesTopic());
            }
        }
        if (sink) {
            topics.put("kafka.topics.district-metrics", k.districtMetricsTopic());
            topics.put("kafka.topics.alerts", k.alertsTopic());
            topics.put("kafka.topics.dead-letter", k.deadLetterTopic());
            topics.put("kafka.topics.late-events", k.lateEventsTopic());
            topics.put("kafka.topics.alert-rules-results", k.alertRulesResultsTopic());
        }
        return topics;
    }

    /**
     * Connects with the job's client properties, checks that the topics exist and waits until their partitions are
     * served ({@link #awaitServed}).
     *
     * @param topics configuration key to topic name, as from {@link #neededTopics}
     * @throws StartupCheckException one line naming the bootstrap servers, the topics or the refused credentials
     */
    public static void check(KafkaSettings k, Map<String, String> topics, Duration timeout) {
        String servers = k.bootstrapServers();
        Properties p = KafkaIo.clientProperties(k);
        p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        int ms = (int) timeout.toMillis();
        p.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(ms));
        p.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.min(ms, 15_000)));
        p.setProperty(AdminClientConfig.CLIENT_ID_CONFIG, "express-traffic-monitor-preflight");
        Admin admin;
        try {
            admin = Admin.create(p);
        } catch (KafkaException e) {
            throw new StartupCheckException(2, "cannot use Kafka at " + servers + " (kafka.bootstrap-servers): "
                    + scrub(rootMessage(e), k) + "; check the host names and the kafka.properties settings", e);
        }
        try (admin) {
            try {
                admin.describeCluster(new DescribeClusterOptions().timeoutMs(ms)).nodes()
                        .get(ms + 5_000L, TimeUnit.MILLISECONDS);
                Set<String> existing = admin.listTopics(new ListTopicsOptions().timeoutMs(ms).listInternal(false))
                        .names().get(ms + 5_000L, TimeUnit.MILLISECONDS);
                List<String> missing = new ArrayList<>();
                for (Map.Entry<String, String> t : topics.entrySet()) {
                    if (!existing.contains(t.getValue())) {
                        missing.add(t.getValue() + " (" + t.getKey() + ")");
                    }
                }
                if (missing.size() == 1) {
                    throw new StartupCheckException(2, "Kafka at " + servers + " has no topic " + missing.get(0)
                            + "; create it with jobs/create-topics.sh, or name an existing topic");
                }
                if (!missing.isEmpty()) {
                    throw new StartupCheckException(2, "Kafka at " + servers + " lacks the topics "
                            + String.join(", ", missing) + "; create them with jobs/create-topics.sh");
                }
                if (!topics.isEmpty()) {
                    awaitServed(admin, topics.values(), timeout);
                }
            } catch (ExecutionException e) {
                throw failure(e.getCause(), k, timeout);
            } catch (java.util.concurrent.TimeoutException e) {
                throw unreachable(k, timeout, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StartupCheckException(1, "interrupted while checking Kafka at " + servers, e);
            }
        } catch (KafkaException e) {
            throw failure(e, k, timeout);
        }
    }

    /**
     * Waits until the leader of every partition of {@code topics} answers an offsets request for it. A topic exists
     * for the controller a moment before its partitions' leaders serve them, and an idempotent producer that writes
     * into a partition in that moment can lose a batch (its first request is refused, a later one is taken, and every
     * retry of the first is then out of sequence: KAFKA-15591): {@link #check} waits here for the topics it checked,
     * and the tool that creates topics before it ends.
     *
     * @throws StartupCheckException naming the topics whose partitions have no serving leader after {@code timeout}
     */
    public static void awaitServed(Admin admin, Collection<String> topics, Duration timeout) {
        awaitServed(() -> {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (TopicDescription t : admin.describeTopics(topics).allTopicNames().get().values()) {
                for (TopicPartitionInfo partition : t.partitions()) {
                    latest.put(new TopicPartition(t.name(), partition.partition()), OffsetSpec.latest());
                }
            }
            admin.listOffsets(latest).all().get();
        }, topics, timeout);
    }

    /** One request that succeeds once every partition of the topics is served. */
    @FunctionalInterface
    interface ServedProbe {
        void probe() throws ExecutionException, InterruptedException;
    }

    /**
     * The waiting of {@link #awaitServed(Admin, Collection, Duration)}: {@code probe} tried every 100 ms while it fails
     * with a retriable error, until {@code timeout}; any other error at once.
     */
    static void awaitServed(ServedProbe probe, Collection<String> topics, Duration timeout) {
        String named = String.join(", ", topics);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                Exception retriable;
                try {
                    probe.probe();
                    return;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof RetriableException)) {
                        throw new StartupCheckException(1, "the partitions of " + named + " cannot be read: "
                                + rootMessage(e), e);
                    }
                    retriable = e;
                }
                if (System.nanoTime() >= deadline) {
                    throw new StartupCheckException(1, "the partitions of " + named + " have no leader that serves "
                            + "them after " + timeout.toSeconds() + " s (" + rootMessage(retriable)
                            + "); is every broker of the cluster up?", retriable);
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupCheckException(1, "interrupted while waiting for " + named, e);
        }
    }

    /** The one line for what went wrong while talking to the cluster. */
    static StartupCheckException failure(Throwable e, KafkaSettings k, Duration timeout) {
        String servers = k.bootstrapServers();
        if (e instanceof org.apache.kafka.common.errors.TimeoutException) {
            return unreachable(k, timeout, e);
        }
        if (e instanceof AuthenticationException) {
            return new StartupCheckException(2, "Kafka at " + servers + " refused the credentials ("
                    + scrub(rootMessage(e), k) + "); check the user and password in kafka.properties", e);
        }
        if (e instanceof AuthorizationException) {
            return new StartupCheckException(2, "Kafka at " + servers + " does not allow this client ("
                    + scrub(rootMessage(e), k) + "); grant the configured user access to the cluster and topics", e);
        }
        return new StartupCheckException(1, "Kafka at " + servers + " failed the start-up check: "
                + e.getClass().getSimpleName() + ": " + scrub(rootMessage(e), k), e);
    }

    private static StartupCheckException unreachable(KafkaSettings k, Duration timeout, Throwable e) {
        return new StartupCheckException(1, "cannot reach Kafka at " + k.bootstrapServers()
                + " (kafka.bootstrap-servers) within " + timeout.toSeconds() + " s; is the broker running? "
                + "Start one with jobs/start-kafka.sh, or give its address with --kafka.bootstrap-servers HOST:PORT", e);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() != null ? t.getMessage() : e.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }

    /**
     * Removes from a client's message anything that could be a secret: the values of the environment variables that
     * kafka.properties refer to, and the values of properties whose names suggest a secret.
     */
    static String scrub(String message, KafkaSettings k) {
        String m = message;
        for (Map.Entry<String, String> e : k.properties().entrySet()) {
            String key = e.getKey().toLowerCase();
            String value = e.getValue();
            if (value == null) {
                continue;
            }
            java.util.regex.Matcher ref = java.util.regex.Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)\\}")
                    .matcher(value);
            while (ref.find()) {
                String secret = System.getenv(ref.group(1));
                if (secret != null && secret.length() >= 3) {
                    m = m.replace(secret, "***");
                }
            }
            if ((key.contains("password") || key.contains("secret") || key.contains("jaas") || key.endsWith(".key"))
                    && value.length() >= 3) {
                m = m.replace(value, "***");
            }
        }
        return m;
    }
}
