package com.expressmonitor.tools;

import com.expressmonitor.config.KafkaSettings;
import com.expressmonitor.io.KafkaIo;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * Creates the monitor's five topics (names from the {@code kafka.topics} configuration) if they do not exist.
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
                for (String topic : List.of(k.scanEventsTopic(), k.districtMetricsTopic(), k.alertsTopic(),
                        k.deadLetterTopic(), k.lateEventsTopic())) {
                    try {
                        admin.createTopics(List.of(new NewTopic(topic, partitions, replication))).all().get();
                        System.out.println("created " + topic + " (" + partitions + " partitions)");
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw e;
                        }
                        System.out.println("exists  " + topic);
                    }
                }
            }
        });
    }
}
