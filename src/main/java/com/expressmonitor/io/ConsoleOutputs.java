package com.expressmonitor.io;

import com.expressmonitor.alert.Alert;
import com.expressmonitor.alert.AlertKind;
import com.expressmonitor.alert.AlertLevel;
import com.expressmonitor.alert.RuleCoordinator;
import com.expressmonitor.alert.RuleResult;
import com.expressmonitor.alert.RuleStatus;
import com.expressmonitor.config.LocalTimes;
import com.expressmonitor.district.DistrictMetrics;
import com.expressmonitor.event.DeadLetter;
import com.expressmonitor.event.LateEvent;

import java.io.Serializable;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code console} output, for people: alerts (and metrics records, unless it is the demo) as aligned lines in
 * window order, with units; dead letters and late events as counts per reason and input partition at the end, or a
 * line each when asked; a line for each rule update (not for the rules the run starts with); colour only when
 * standard output is a terminal.
 */
public final class ConsoleOutputs implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Accumulator of the dead-letter counts ({@code reason:R} and {@code partition:P}). */
    public static final String ACC_DEAD_LETTERS = "console-dead-letters";
    /** Accumulator of the late-event counts ({@code partition:P}). */
    public static final String ACC_LATE_EVENTS = "console-late-events";
    /** Columns of a district ("330482 平湖市") in the console lines and the summary table. */
    public static final int DISTRICT_COLUMNS = 16;

    private static final String RED = "\u001b[31m";
    private static final String YELLOW = "\u001b[33m";
    private static final String GREEN = "\u001b[32m";
    private static final String RESET = "\u001b[0m";

    private final int offsetSeconds;
    private final boolean showMetrics;
    private final boolean colour;

    ConsoleOutputs(int offsetSeconds, boolean showMetrics, boolean colour) {
        this.offsetSeconds = offsetSeconds;
        this.showMetrics = showMetrics;
        this.colour = colour;
    }

    /**
     * @param showMetrics false to print alerts only (the demo), true to print metrics records too
     * @param showRecords true to print every dead letter and late event, false to count them for the end of the run
     * @param colour true to colour alert levels (only when standard output is a terminal and NO_COLOR is not set)
     */
    public static Outputs create(int offsetSeconds, boolean showMetrics, boolean showRecords, boolean colour) {
        ConsoleOutputs f = new ConsoleOutputs(offsetSeconds, showMetrics, colour);
        return new Outputs(
                showMetrics ? new WindowOrderedConsoleSink<>(f::metrics, DistrictMetrics::windowEnd, DistrictMetrics::key)
                        : new ConsoleSink<>(m -> null),
                new WindowOrderedConsoleSink<>(f::alert, Alert::windowEnd, ConsoleOutputs::alertOrder),
                showRecords ? new ConsoleSink<>(f::deadLetter)
                        : new CountingConsoleSink<>(ACC_DEAD_LETTERS, d -> List.of("reason:" + d.reason().name(),
                                "partition:" + partition(d.source()))),
                showRecords ? new ConsoleSink<>(f::lateEvent)
                        : new CountingConsoleSink<>(ACC_LATE_EVENTS, l -> List.of("partition:" + partition(l.source()))),
                new ConsoleSink<>(ConsoleOutputs::ruleResult));
    }

    /** Whether to colour: standard output is a terminal and NO_COLOR (no-color.org) is unset or empty. */
    public static boolean colourWanted() {
        String noColour = System.getenv("NO_COLOR");
        return System.console() != null && (noColour == null || noColour.isEmpty());
    }

    private static String alertOrder(Alert a) {
        return a.district() + "/" + a.facilityType() + "/" + a.kind().ordinal();
    }

    /** The input partition of a record's source: {@code file:NAME}, {@code kafka:TOPIC/PARTITION}, ... */
    static String partition(String source) {
        return source == null ? "unknown" : source.replaceFirst("[:/]\\d+$", "");
    }

    private String time(long t) {
        return LocalTimes.format(t, ZoneOffset.ofTotalSeconds(offsetSeconds));
    }

    private String window(long start, long end) {
        return time(start).substring(0, 10) + " " + time(start).substring(11, 16) + "-" + time(end).substring(11, 16);
    }

    /** "330482 平湖市" padded to {@link #DISTRICT_COLUMNS} display columns. */
    public static String district(String code, String name) {
        return DisplayWidth.padRight(name == null ? code : code + " " + name, DISTRICT_COLUMNS);
    }

    String metrics(DistrictMetrics m) {
        return String.format("METRICS %s  %s %-14s parcels: arrivals %5d  departures %5d  deliveries %5d"
                        + "  exceptions %4d  backlog %6d  stuck %5d%s",
                window(m.windowStart(), m.windowEnd()), district(m.district(), m.districtName()), m.facilityType(),
                m.arrivals(), m.departures(), m.deliveries(), m.exceptions(), m.backlog(), m.stuck(),
                m.season() == null ? "" : "  [" + m.season() + "]");
    }

    String alert(Alert a) {
        String level = a.level() == AlertLevel.RED ? paint(RED, "RED   ")
                : a.level() == AlertLevel.YELLOW ? paint(YELLOW, "YELLOW") : paint(GREEN, "clear ");
        return String.format("ALERT   %s  %s %-14s %-7s %-11s %s  %s (threshold %s, was %s)%s",
                window(a.windowStart(), a.windowEnd()), district(a.district(), a.districtName()), a.facilityType(),
                a.kind(), a.status(), level, value(a.kind(), a.value()), threshold(a.kind(), a.threshold()),
                a.previousLevel(), a.season() == null ? "" : "  [" + a.season() + "]")
                + (a.rulesVersion() == 0 ? "" : "  rules v" + a.rulesVersion());
    }

    /** A rule update's result; nothing for the configuration file's rules at the start of a run. */
    static String ruleResult(RuleResult r) {
        if (r.status() == RuleStatus.APPLIED && r.version() != null && r.version() == 0
                && RuleCoordinator.CONFIGURATION.equals(r.source())) {
            return null;
        }
        return "RULES   " + (r.version() == null ? "update without a version" : "version " + r.version()) + " "
                + r.status() + ": " + r.detail() + " (" + r.source() + ")"
                + (r.status() == RuleStatus.APPLIED ? "" : "; rules version " + r.rulesVersion() + " stay in force");
    }

    private String paint(String code, String text) {
        return colour ? code + text + RESET : text;
    }

    /** An alert's value with its unit: parcels waiting, parcels stuck, or arrivals per hour. */
    static String value(AlertKind kind, double v) {
        String n = OutputJson.roundedText(v);
        return switch (kind) {
            case BACKLOG -> n + " parcels waiting";
            case STUCK -> n + " parcels stuck";
            case SURGE -> n + " arrivals per hour";
        };
    }

    static String threshold(AlertKind kind, double v) {
        return OutputJson.roundedText(v) + (kind == AlertKind.SURGE ? " per hour" : " parcels");
    }

    String deadLetter(DeadLetter d) {
        return "DEAD    " + d.reason() + ": " + d.detail();
    }

    String lateEvent(LateEvent l) {
        return "LATE    " + l.event().waybillNo() + " " + l.event().scanType() + " at " + time(l.event().eventTime())
                + " is before the cutoff " + time(l.cutoff()) + " (" + l.source() + ")";
    }

    /**
     * The end-of-run lines for the counted streams, e.g. {@code 3 dead letters: 1 INVALID_FIELD, 2 MALFORMED_JSON;
     * from file:scans.jsonl 3}; nothing for a stream without records.
     */
    public static List<String> countLines(Map<String, Long> deadLetters, Map<String, Long> lateEvents) {
        List<String> lines = new ArrayList<>();
        long dead = total(deadLetters, "partition:");
        long late = total(lateEvents, "partition:");
        if (dead > 0) {
            lines.add(String.format("%,d %s: %s; from %s", dead, dead == 1 ? "dead letter" : "dead letters",
                    list(deadLetters, "reason:"), list(deadLetters, "partition:")));
        }
        if (late > 0) {
            lines.add(String.format("%,d %s: from %s", late, late == 1 ? "late event" : "late events",
                    list(lateEvents, "partition:")));
        }
        if (dead + late > 0) {
            lines.add("(--show-records true prints each dead letter and late event)");
        }
        return lines;
    }

    private static long total(Map<String, Long> counts, String prefix) {
        return counts.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(Map.Entry::getValue).sum();
    }

    /** "NAME COUNT, ..." in name order, the first ten, then how many more. */
    private static String list(Map<String, Long> counts, String prefix) {
        List<String> parts = new ArrayList<>();
        int more = 0;
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                if (parts.size() < 10) {
                    parts.add(String.format("%s %,d", e.getKey().substring(prefix.length()), e.getValue()));
                } else {
                    more++;
                }
            }
        }
        return String.join(", ", parts) + (more > 0 ? " and " + more + " more" : "");
    }
}
