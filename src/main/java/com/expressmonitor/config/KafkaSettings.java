package com.expressmonitor.config;

import java.io.Serializable;
import java.util.Map;

/**
 * The {@code kafka:} section: where the scans come from and the outputs go.
 *
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
        Map<String, String> properties) implements Serializable {}
