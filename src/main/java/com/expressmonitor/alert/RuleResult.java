package com.expressmonitor.alert;

/**
 * The answer to one rule update (and the record of the rules a job starts with), written to the rule-update results
 * output.
 *
 * @param version the update's version; null when it could not be read
 * @param detail for APPLIED which windows use the new rules, otherwise why nothing changed (a validation message
 *     naming the configuration key, or the version in force)
 * @param effectiveFrom for APPLIED: windows starting at or after it (epoch ms) use the new rules;
 *     {@link Long#MIN_VALUE} for every window not evaluated yet; null otherwise
 * @param appliedAt wall-clock time at which the job decided (epoch ms)
 * @param source where the update came from: {@code kafka:TOPIC/PARTITION/OFFSET}, {@code file:NAME[INDEX]} for a
 *     rules-updates file, {@code configuration} for the configuration file
 * @param rulesVersion the version in force after it
 * @param rules the rules in force after it, as canonical JSON in the configuration's shape
 */
public record RuleResult(
        Long version,
        RuleStatus status,
        String detail,
        Long effectiveFrom,
        long appliedAt,
        String source,
        long rulesVersion,
        String rules) {}
