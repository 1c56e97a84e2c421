package com.expressmonitor.io;

import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.event.ScanParser;
import com.expressmonitor.event.ScanRecord;
import com.expressmonitor.job.Outputs;

import org.apache.flink.api.connector.source.Source;

/** The Kafka source and sinks. */
public final class KafkaIo {
    private KafkaIo() {}

    public static Source<ScanRecord, ?, ?> source(MonitorConfig config, ScanParser parser) {
        throw new UnsupportedOperationException("--source kafka is not available in this build yet");
    }

    public static Outputs outputs(MonitorConfig config, OutputJson json) {
        throw new UnsupportedOperationException("--sink kafka is not available in this build yet");
    }
}
