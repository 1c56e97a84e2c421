package com.expressmonitor.io;

import com.expressmonitor.alert.Alert;
import com.expressmonitor.district.DistrictMetrics;
import com.expressmonitor.event.DeadLetter;
import com.expressmonitor.event.LateEvent;

import org.apache.flink.api.connector.sink2.Sink;

/** Where the four output streams go; the console, directory and Kafka outputs, and tests, each provide one. */
public record Outputs(
        Sink<DistrictMetrics> metrics,
        Sink<Alert> alerts,
        Sink<DeadLetter> deadLetters,
        Sink<LateEvent> lateEvents) {}
