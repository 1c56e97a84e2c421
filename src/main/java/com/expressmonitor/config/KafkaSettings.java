package com.expressmonitor.config;

import java.io.Serializable;
import java.util.Map;

/**
 * The {@code kafka:} section: where the scans come from and the outputs go.
 *
 * @param alertRulesTopic the control topic of rule updates read with {@code --source kafka}; null when none is read
 * @param alertRulesResultsTopic where the results of rule updates go with {@code --sink kafka}
 * @param properties client properties passed as given; values may be {@code ${ENV}} references, resolved only
 *     when a client is built so that secrets never sit in the job graph or the logs
 */
public record KafkaSettings(
        String bootstrapServers,
        String groupId,
        String startingOffsets,
        boolean bounded,
        String scanEventsTopic,
        String districtMetricsTopic,
        String alertsTopic,
        String deadLetterTopic,
        String lateEventsTopic,
        String alertRulesTopic,
        String alertRulesResultsTopic,
        Map<String, String> properties) implements Serializable {

    /** Property values are never shown (they may hold secrets); only their keys are. */
    @Override
    public String toString() {
        return "KafkaSettings[bootstrapServers=" + bootstrapServers + ", groupId=" + groupId + ", startingOffsets="
                + startingOffsets + ", bounded=" + bounded + ", topics=" + scanEventsTopic + "," + districtMetricsTopic
                + "," + alertsTopic + "," + deadLetterTopic + "," + lateEventsTopic + "," + alertRulesTopic + ","
                + alertRulesResultsTopic + ", properties="
                + maskedProperties(properties) + "]";
    }

    /** The keys of {@code properties} with every value replaced by {@code ****}. */
    public static String maskedProperties(Map<String, ?> properties) {
        StringBuilder b = new StringBuilder("{");
        for (String key : new java.util.TreeSet<>(properties.keySet())) {
            b.append(b.length() > 1 ? ", " : "").append(key).append("=****");
        }
        return b.append('}').toString();
    }
}
