package com.expressmonitor.io;

import com.expressmonitor.alert.Alert;
import com.expressmonitor.alert.RuleResult;
import com.expressmonitor.district.DistrictMetrics;
import com.expressmonitor.event.DeadLetter;
import com.expressmonitor.event.LateEvent;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Where the output streams go: the four of SPEC §5 and the results of rule updates. The console, directory and
 * Kafka outputs, and tests, each provide one.
 */
public record Outputs(
        Sink<DistrictMetrics> metrics,
        Sink<Alert> alerts,
        Sink<DeadLetter> deadLetters,
        Sink<LateEvent> lateEvents,
        Sink<RuleResult> ruleResults) {

    /** The four outputs of SPEC §5; the results of rule updates are dropped (for tests and measurements). */
    public Outputs(Sink<DistrictMetrics> metrics, Sink<Alert> alerts, Sink<DeadLetter> deadLetters,
            Sink<LateEvent> lateEvents) {
        this(metrics, alerts, deadLetters, lateEvents, new DiscardingSink<>());
    }
}
