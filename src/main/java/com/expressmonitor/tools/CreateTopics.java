package com.expressmonitor.tools;

import com.expressmonitor.config.KafkaSettings;
import com.expressmonitor.io.KafkaIo;
import com.expressmonitor.io.KafkaPreflight;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * Creates the monitor's topics (names from the {@code kafka.topics} configuration) if they do not exist: the input
 * and the four outputs with {@code --partitions} partitions, and the control topic of rule updates and its results
 * topic with one partition each, so that updates and results stay in the order they were written.
 *
 * <pre>
 * java -cp express-traffic-monitor.jar com.expressmonitor.tools.CreateTopics [--config FILE]
 *     [--kafka.bootstrap-servers HOST:PORT] [--partitions 4] [--replication-factor 1]
 * </pre>
 */
public final class CreateTopics {
    private CreateTopics() {}

    public static void main(String[] args) {
        ToolArgs.run("create-topics", () -> {
            ToolArgs a = ToolArgs.parse(args, Set.of("partitions", "replication-factor"));
            int partitions = (int) a.longOption("partitions", 4);
            short replication = (short) a.longOption("replication-factor", 1);
            KafkaSettings k = a.config.kafka();
            Properties p = KafkaIo.clientProperties(k);
            p.setProperty("bootstrap.servers", k.bootstrapServers());
            try (Admin admin = Admin.create(p)) {
                Map<String, Integer> topics = new LinkedHashMap<>();
                for (String topic : List.of(k.scanEventsTopic(), k.districtMetricsTopic(), k.alertsTopic(),
                        k.deadLetterTopic(), k.lateEventsTopic())) {
                    topics.put(topic, partitions);
                }
                if (k.alertRulesTopic() != null) {
                    topics.put(k.alertRulesTopic(), 1);
                }
                topics.put(k.alertRulesResultsTopic(), 1);
                for (Map.Entry<String, Integer> t : topics.entrySet()) {
                    String topic = t.getKey();
                    try {
                        admin.createTopics(List.of(new NewTopic(topic, t.getValue(), replication))).all().get();
                        System.out.println("created " + topic + " (" + t.getValue()
                                + (t.getValue() == 1 ? " partition)" : " partitions)"));
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw e;
                        }
                        System.out.println("exists  " + topic);
                    }
                }
                // Ready when this ends: a replay started right after must not meet partitions without a leader.
                KafkaPreflight.awaitServed(admin, topics.keySet(), KafkaPreflight.TIMEOUT);
            }
        });
    }
}
