package com.expressmonitor.job;

import com.expressmonitor.event.ScanRecord;

import org.apache.flink.api.connector.source.Source;

/**
 * A source of scan records and how its watermarks are made.
 *
 * @param watermarksWhileReading true for unbounded sources (watermarks follow each partition's event times);
 *     false for a file replay, whose windows all close when it has been read, so that partitions read one after
 *     another by the same reader do not make each other late
 * @param uid stable operator id of the source, for savepoint compatibility
 */
public record ScanInput(Source<ScanRecord, ?, ?> source, boolean watermarksWhileReading, String name, String uid) {}
