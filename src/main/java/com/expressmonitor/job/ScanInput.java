package com.expressmonitor.job;

import com.expressmonitor.event.ScanRecord;

import org.apache.flink.api.connector.source.Source;

/**
 * A source of scan records and whether its partitions may fall silent.
 *
 * @param partitionsMayIdle true for Kafka, whose partitions can go quiet: after {@code watermark.idleness} a silent
 *     partition stops holding windows open. False for replays and the generator, which read every partition to its
 *     end without pause, so that no partition is ever passed over by the watermark.
 * @param uid stable operator id of the source, for savepoint compatibility
 */
public record ScanInput(Source<ScanRecord, ?, ?> source, boolean partitionsMayIdle, String name, String uid) {}
