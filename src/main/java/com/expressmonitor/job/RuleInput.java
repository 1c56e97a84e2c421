package com.expressmonitor.job;

import com.expressmonitor.alert.RuleUpdateRecord;
import com.expressmonitor.config.KafkaSettings;
import com.expressmonitor.config.RuleUpdate;
import com.expressmonitor.io.KafkaIo;

import org.apache.flink.api.connector.source.Source;

import java.util.List;

/**
 * Where a run's changes of the alert rules come from: nothing, the Kafka control topic (live updates), or a
 * rules-updates file of timed updates (a replay). The configuration file's rules are always the first version.
 *
 * @param source the live updates; null when there are none (the topology then reads an empty input in its place)
 * @param timed the updates of a rules-updates file, checked already, each applying from its own event time
 * @param timedFile that file's name, for the results' sources
 * @param resetToFile on a restore, put the configuration file's rules back in force instead of keeping those of the
 *     savepoint; on a first start, also skip the updates already in the control topic
 * @param uid stable operator id of the source, for savepoint compatibility
 */
public record RuleInput(Source<RuleUpdateRecord, ?, ?> source, List<RuleUpdate> timed, String timedFile,
        boolean resetToFile, String name, String uid) {

    /** No changes while the job runs: the configuration file's rules throughout. */
    public static RuleInput none() {
        return none(false);
    }

    public static RuleInput none(boolean resetToFile) {
        return new RuleInput(null, List.of(), null, resetToFile, "No rule updates", "rule-updates-none");
    }

    /** Updates sent to {@code kafka.topics.alert-rules} while the job runs. */
    public static RuleInput kafka(KafkaSettings k, boolean resetToFile) {
        return new RuleInput(KafkaIo.ruleUpdatesSource(k, resetToFile), List.of(), null, resetToFile,
                "Kafka " + k.alertRulesTopic(), "rule-updates-kafka");
    }

    /** The timed updates of a rules-updates file. */
    public static RuleInput timed(List<RuleUpdate> updates, String file, boolean resetToFile) {
        return new RuleInput(null, updates, file, resetToFile, "No rule updates", "rule-updates-none");
    }
}
