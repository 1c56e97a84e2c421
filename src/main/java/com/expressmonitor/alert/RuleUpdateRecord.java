package com.expressmonitor.alert;

/**
 * A rule update as read from the control topic, not yet checked.
 *
 * @param text the record's value as UTF-8 text; null when it is not UTF-8 (or absent)
 * @param source {@code kafka:TOPIC/PARTITION/OFFSET}
 */
public record RuleUpdateRecord(String text, String source) {}
