package com.expressmonitor.job;

import com.expressmonitor.alert.DistrictAlertFunction;
import com.expressmonitor.district.DistrictMetricsFunction;
import com.expressmonitor.district.DistrictSummaryAccumulator;
import com.expressmonitor.event.ScanClassifier;
import com.expressmonitor.io.ConsoleOutputs;
import com.expressmonitor.io.DisplayWidth;
import com.expressmonitor.parcel.ParcelTracker;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.flink.api.common.JobExecutionResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a bounded run counted: every input record as counted, duplicate, late or invalid, plus the records emitted,
 * the per-district figures for the console summary, and the console's counts of dead letters and late events.
 *
 * @param deadLetterCounts from the console output: {@code reason:R} and {@code partition:P} counts (empty otherwise)
 * @param lateCounts from the console output: {@code partition:P} counts (empty otherwise)
 * @param millis how long the job ran, from its start to its end
 */
public record RunSummary(long input, long counted, long duplicates, long late, long invalid, long metrics, long alerts,
        Map<String, DistrictSummaryAccumulator.Totals> districts, Map<String, Long> deadLetterCounts,
        Map<String, Long> lateCounts, long millis) {

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
                districts,
                counts(result, ConsoleOutputs.ACC_DEAD_LETTERS),
                counts(result, ConsoleOutputs.ACC_LATE_EVENTS),
                result.getNetRuntime());
    }

    private static Map<String, Long> counts(JobExecutionResult result, String name) {
        Map<String, Long> v = result.getAccumulatorResult(name);
        return v == null ? Map.of() : new TreeMap<>(v);
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

    /**
     * The accounting identity, {@code input 130 = 126 counted + 1 duplicate + 1 late + 2 invalid}: every input
     * record has exactly one of the four outcomes.
     */
    public String accounting() {
        return String.format(Locale.ROOT, "input %,d = %,d counted + %s + %,d late + %,d invalid", input, counted,
                count(duplicates, "duplicate", "duplicates"), late, invalid);
    }

    /** {@code what} in the form a count of {@code n} needs: "1 alert", "2 alerts". */
    public static String count(long n, String one, String many) {
        return String.format(Locale.ROOT, "%,d %s", n, n == 1 ? one : many);
    }

    /** How long the job ran and how fast it read, e.g. {@code finished in 27.3 s (147,382 records/s)}. */
    public String duration() {
        double seconds = millis / 1000.0;
        return String.format(Locale.ROOT, "finished in %.1f s (%,d records/s)", seconds,
                seconds > 0 ? Math.round(input / seconds) : 0);
    }

    /** What was written, e.g. {@code 6 metrics records, 2 alerts, 3 dead letters and 1 late event}. */
    public String written() {
        return count(metrics, "metrics record", "metrics records") + ", " + count(alerts, "alert", "alerts") + ", "
                + count(invalid, "dead letter", "dead letters") + " and " + count(late, "late event", "late events");
    }

    /** The per-district table printed at the end of a console run, columns aligned by display width. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append('\n').append(row("district", "facility", "arrivals", "departures", "deliveries", "peak backlog",
                "peak stuck", "yellow", "red")).append('\n');
        for (Map.Entry<String, DistrictSummaryAccumulator.Totals> e : districts.entrySet()) {
            String[] k = e.getKey().split("/");
            DistrictSummaryAccumulator.Totals t = e.getValue();
            sb.append(row(ConsoleOutputs.district(k[0], t.districtName), k[1], n(t.arrivals), n(t.departures),
                    n(t.deliveries), n(t.peakBacklog), n(t.peakStuck), n(t.yellowAlerts), n(t.redAlerts))).append('\n');
        }
        sb.append("(parcels over the run; peak backlog and peak stuck: the most in any window; yellow and red: alerts "
                + "raised)\n");
        return sb.toString();
    }

    private static String n(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    private static String row(String district, String facility, String... figures) {
        StringBuilder b = new StringBuilder(DisplayWidth.padRight(district, ConsoleOutputs.DISTRICT_COLUMNS))
                .append(' ').append(DisplayWidth.padRight(facility, 14));
        int[] widths = {10, 11, 11, 13, 11, 7, 5};
        for (int i = 0; i < figures.length; i++) {
            b.append(DisplayWidth.padLeft(figures[i], widths[i]));
        }
        return b.toString().stripTrailing();
    }
}
