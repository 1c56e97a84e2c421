package com.expressmonitor.job;

import com.expressmonitor.alert.DistrictAlertFunction;
import com.expressmonitor.district.DistrictMetricsFunction;
import com.expressmonitor.district.DistrictSummaryAccumulator;
import com.expressmonitor.event.ScanClassifier;
import com.expressmonitor.parcel.ParcelTracker;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.flink.api.common.JobExecutionResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a bounded run counted: every input record as counted, duplicate, late or invalid, plus the records emitted,
 * and the per-district figures for the console summary.
 */
public record RunSummary(long input, long counted, long duplicates, long late, long invalid, long metrics, long alerts,
        Map<String, DistrictSummaryAccumulator.Totals> districts) {

    public static RunSummary of(JobExecutionResult result) {
        Map<String, DistrictSummaryAccumulator.Totals> districts = new TreeMap<>();
        merge(districts, result.getAccumulatorResult(DistrictMetricsFunction.ACC_DISTRICTS));
        merge(districts, result.getAccumulatorResult(DistrictAlertFunction.ACC_ALERT_SUMMARY));
        return new RunSummary(
                count(result, ScanClassifier.ACC_INPUT),
                count(result, ParcelTracker.ACC_COUNTED),
                count(result, ParcelTracker.ACC_DUPLICATES),
                count(result, ScanClassifier.ACC_LATE),
                count(result, ScanClassifier.ACC_INVALID),
                count(result, DistrictMetricsFunction.ACC_METRICS),
                count(result, DistrictAlertFunction.ACC_ALERTS),
                districts);
    }

    private static void merge(Map<String, DistrictSummaryAccumulator.Totals> into,
            Map<String, DistrictSummaryAccumulator.Totals> from) {
        if (from == null) {
            return;
        }
        DistrictSummaryAccumulator acc = new DistrictSummaryAccumulator();
        acc.getLocalValue().putAll(into);
        DistrictSummaryAccumulator other = new DistrictSummaryAccumulator();
        other.getLocalValue().putAll(from);
        acc.merge(other);
        into.clear();
        into.putAll(acc.getLocalValue());
    }

    private static long count(JobExecutionResult result, String name) {
        Object v = result.getAccumulatorResult(name);
        return v == null ? 0 : ((Number) v).longValue();
    }

    /** Writes {@code summary.json} of SPEC §5. */
    public void writeJson(Path dir) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode n = mapper.createObjectNode();
        n.put("input", input);
        n.put("counted", counted);
        n.put("duplicates", duplicates);
        n.put("late", late);
        n.put("invalid", invalid);
        n.put("metrics", metrics);
        n.put("alerts", alerts);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("summary.json"), mapper.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n");
    }

    /** The per-district table printed at the end of a console run. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%n%s %-14s %10s %10s %10s %8s %8s %6s %6s%n", "district", "facility", "arrivals",
                "departed", "delivered", "peak bl", "peak st", "yellow", "red"));
        for (Map.Entry<String, DistrictSummaryAccumulator.Totals> e : districts.entrySet()) {
            String[] k = e.getKey().split("/");
            DistrictSummaryAccumulator.Totals t = e.getValue();
            String name = t.districtName == null ? k[0] : k[0] + " " + t.districtName;
            sb.append(String.format("%s %-14s %10d %10d %10d %8d %8d %6d %6d%n", pad(name, 24), k[1], t.arrivals,
                    t.departures, t.deliveries, t.peakBacklog, t.peakStuck, t.yellowAlerts, t.redAlerts));
        }
        sb.append(String.format("%nrecords: %d in = %d counted + %d duplicates + %d late + %d invalid; "
                + "%d metrics records, %d alerts%n", input, counted, duplicates, late, invalid, metrics, alerts));
        return sb.toString();
    }

    /** Pads for the terminal, counting CJK characters as two columns. */
    private static String pad(String s, int width) {
        int cols = 0;
        for (int i = 0; i < s.length(); i++) {
            cols += s.charAt(i) > 0x2E80 ? 2 : 1;
        }
        return cols >= width ? s : s + " ".repeat(width - cols);
    }
}
