package com.expressmonitor.io;

import com.expressmonitor.io.Outputs;

import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * The {@code dir:PATH} output: JSON lines under {@code district-metrics/}, {@code alerts/}, {@code dead-letter/}
 * and {@code late-events/}. Files in progress are hidden (their names start with '.') until committed.
 */
public final class DirectoryOutputs {
    public static final String METRICS = "district-metrics";
    public static final String ALERTS = "alerts";
    public static final String DEAD_LETTER = "dead-letter";
    public static final String LATE_EVENTS = "late-events";

    private DirectoryOutputs() {}

    public static Outputs create(String dir, OutputJson json) {
        for (String sub : new String[] {METRICS, ALERTS, DEAD_LETTER, LATE_EVENTS}) {
            try {
                // Created up front so that an output with no records is an empty folder, not a missing one.
                Files.createDirectories(java.nio.file.Path.of(dir, sub));
            } catch (IOException | RuntimeException e) {
                if (e instanceof IOException io) {
                    throw new UncheckedIOException("cannot create output folder " + dir + "/" + sub, io);
                }
                // not a local path (e.g. a remote file system): the sink creates it
            }
        }
        return new Outputs(
                sink(dir, METRICS, new JsonLinesEncoder<>(json::metrics)),
                sink(dir, ALERTS, new JsonLinesEncoder<>(json::alert)),
                sink(dir, DEAD_LETTER, new JsonLinesEncoder<>(json::deadLetter)),
                sink(dir, LATE_EVENTS, new JsonLinesEncoder<>(json::lateEvent)));
    }

    private static <T> FileSink<T> sink(String dir, String sub, Encoder<T> encoder) {
        return FileSink.forRowFormat(new Path(dir, sub), encoder)
                .withBucketAssigner(new BasePathBucketAssigner<>())
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix("part").withPartSuffix(".jsonl").build())
                .build();
    }
}
