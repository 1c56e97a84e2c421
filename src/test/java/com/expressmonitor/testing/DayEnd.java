package com.expressmonitor.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scans that bring every partition of an input topic to the end of its day, as the next day's traffic would.
 *
 * <p>A seeded day's tail is sparse: one partition's last scan can be hours before another's. A job that reads with no
 * idleness (as the tests that compare runs record for record must) and watermark alignment holds the other partitions
 * paused {@code watermark.max-drift} ahead of an ended partition's last scan until that partition gets a later scan.
 * Whether a partition is paused before or after its last few scans are read depends on when the alignment is checked,
 * so a test that waits for the whole input to be read would wait for ever now and then.
 */
public final class DayEnd {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DayEnd() {}

    /**
     * For each partition, one scan a minute after the latest scan of all, of a parcel of its own ({@code END<p>}),
     * copied from that partition's last well-formed scan: same facility and district, scan type {@code ARRIVED}.
     *
     * @param valuesByPartition every record of the topic, by partition, in order
     */
    public static Map<Integer, byte[]> scans(Map<Integer, List<byte[]>> valuesByPartition) {
        OffsetDateTime latest = null;
        Map<Integer, ObjectNode> lastScan = new TreeMap<>();
        for (Map.Entry<Integer, List<byte[]>> partition : valuesByPartition.entrySet()) {
            for (byte[] value : partition.getValue()) {
                ObjectNode scan = wellFormed(value);
                if (scan != null) {
                    OffsetDateTime t = OffsetDateTime.parse(scan.get("eventTime").asText());
                    latest = latest == null || t.isAfter(latest) ? t : latest;
                    lastScan.put(partition.getKey(), scan);
                }
            }
        }
        if (latest == null || lastScan.size() < valuesByPartition.size()) {
            throw new IllegalArgumentException("every partition needs a well-formed scan to copy");
        }
        String end = latest.plusMinutes(1).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        Map<Integer, byte[]> scans = new TreeMap<>();
        lastScan.forEach((p, scan) -> {
            String waybill = "END" + p;
            ObjectNode copy = scan.deepCopy();
            copy.put("eventId", waybill + "-A").put("waybillNo", waybill).put("scanType", "ARRIVED").put("eventTime", end);
            scans.put(p, copy.toString().getBytes(StandardCharsets.UTF_8));
        });
        return scans;
    }

    /** The record as a scan if it is a whole JSON object with a plain waybill number and a readable event time. */
    private static ObjectNode wellFormed(byte[] value) {
        try {
            JsonNode node = JSON.readTree(value);
            if (node instanceof ObjectNode scan && scan.path("waybillNo").asText("#").matches("[A-Za-z0-9]+")
                    && scan.hasNonNull("eventTime")) {
                OffsetDateTime.parse(scan.get("eventTime").asText());
                return scan;
            }
        } catch (IOException | DateTimeParseException e) {
            // a garbled record (cut off, or without a readable time) is not copied
        }
        return null;
    }
}
