package com.expressmonitor.event;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One input record as a source read it: either a valid {@link ScanEvent} or a rejection, plus where it came from.
 *
 * <p>{@code partition} names the input partition ({@code file:NAME:} or {@code kafka:TOPIC/PARTITION/}) and
 * {@code position} the line or offset inside it, so the {@code source} string of SPEC §2 is built only for the
 * few records that need it.
 */
public class ScanRecord {
    /** The valid event, or null when the record was rejected. */
    public ScanEvent event;
    /** Why the record was rejected, or null when it is valid. */
    public RejectReason reason;
    /** Human-readable explanation of the rejection. */
    public String detail;
    /** The original bytes of a rejected record (null for valid ones, which never need them). */
    public byte[] raw;
    /** Input partition prefix of the source string, e.g. {@code file:feed.jsonl:}. */
    public String partition;
    /** Line number (files) or offset (Kafka) within the partition. */
    public long position;
    /**
     * Header keys of a rejected Kafka record, parallel to {@link #headerValues}; null for valid records and for
     * other sources. Kept as arrays so that the record stays a Flink POJO without generic (Kryo) types.
     */
    public String[] headerKeys;
    /** Header values of a rejected Kafka record (an entry may be null), parallel to {@link #headerKeys}. */
    public byte[][] headerValues;

    public ScanRecord() {}

    public static ScanRecord valid(ScanEvent event, String partition, long position) {
        ScanRecord r = new ScanRecord();
        r.event = event;
        r.partition = partition;
        r.position = position;
        return r;
    }

    public static ScanRecord rejected(RejectReason reason, String detail, byte[] raw, String partition, long position) {
        ScanRecord r = new ScanRecord();
        r.reason = reason;
        r.detail = detail;
        r.raw = raw;
        r.partition = partition;
        r.position = position;
        return r;
    }

    /** Attaches the original Kafka headers to a rejected record (they travel on to the dead-letter output). */
    public ScanRecord withHeaders(String[] keys, byte[][] values) {
        this.headerKeys = keys;
        this.headerValues = values;
        return this;
    }

    public boolean isValid() {
        return event != null;
    }

    /** The {@code source} string of SPEC §2: {@code file:NAME:LINE} or {@code kafka:TOPIC/PARTITION/OFFSET}. */
    public String source() {
        return partition + position;
    }

    @Override
    public String toString() {
        return isValid()
                ? "ScanRecord{" + event + " @" + source() + "}"
                : "ScanRecord{" + reason + ": " + detail + " raw=" + new String(raw, StandardCharsets.UTF_8) + "}";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ScanRecord other)) {
            return false;
        }
        return Objects.equals(event, other.event) && reason == other.reason && Objects.equals(detail, other.detail)
                && java.util.Arrays.equals(raw, other.raw) && Objects.equals(partition, other.partition)
                && position == other.position && java.util.Arrays.equals(headerKeys, other.headerKeys)
                && java.util.Arrays.deepEquals(headerValues, other.headerValues);
    }

    @Override
    public int hashCode() {
        return Objects.hash(event, reason, detail, partition, position);
    }
}
