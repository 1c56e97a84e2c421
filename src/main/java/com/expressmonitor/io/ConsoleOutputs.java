package com.expressmonitor.io;

import com.expressmonitor.alert.Alert;
import com.expressmonitor.alert.AlertLevel;
import com.expressmonitor.config.LocalTimes;
import com.expressmonitor.district.DistrictMetrics;
import com.expressmonitor.event.DeadLetter;
import com.expressmonitor.event.LateEvent;
import com.expressmonitor.io.Outputs;

import java.io.Serializable;
import java.time.ZoneOffset;

/** The {@code console} output: one readable line per alert, metrics record, dead letter and late event. */
public final class ConsoleOutputs implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int offsetSeconds;
    private final boolean showMetrics;

    private ConsoleOutputs(int offsetSeconds, boolean showMetrics) {
        this.offsetSeconds = offsetSeconds;
        this.showMetrics = showMetrics;
    }

    /**
     * @param showMetrics false to print alerts only (the demo), true to print every output record
     */
    public static Outputs create(int offsetSeconds, boolean showMetrics) {
        ConsoleOutputs f = new ConsoleOutputs(offsetSeconds, showMetrics);
        return new Outputs(new ConsoleSink<>(f::metrics), new ConsoleSink<>(f::alert),
                new ConsoleSink<>(f::deadLetter), new ConsoleSink<>(f::lateEvent));
    }

    private String time(long t) {
        return LocalTimes.format(t, ZoneOffset.ofTotalSeconds(offsetSeconds));
    }

    private String clock(long t) {
        return time(t).substring(11, 16);
    }

    private static String name(String code, String name) {
        return name == null ? code : code + " " + name;
    }

    String metrics(DistrictMetrics m) {
        if (!showMetrics) {
            return null;
        }
        return String.format("METRICS %s %s-%s  %-14s arrivals %5d  departures %5d  deliveries %5d  exceptions %3d"
                        + "  backlog %6d  stuck %5d  %s%s",
                time(m.windowStart()).substring(0, 10), clock(m.windowStart()), clock(m.windowEnd()),
                m.facilityType(), m.arrivals(), m.departures(), m.deliveries(), m.exceptions(), m.backlog(), m.stuck(),
                name(m.district(), m.districtName()), m.season() == null ? "" : "  [" + m.season() + "]");
    }

    String alert(Alert a) {
        String badge = a.level() == AlertLevel.RED ? "\u001b[31mRED   \u001b[0m"
                : a.level() == AlertLevel.YELLOW ? "\u001b[33mYELLOW\u001b[0m" : "\u001b[32mclear \u001b[0m";
        return String.format("ALERT   %s %s-%s  %-11s %s %-14s %-8s value %s (threshold %s, was %s)%s",
                time(a.windowStart()).substring(0, 10), clock(a.windowStart()), clock(a.windowEnd()), a.status(), badge,
                a.facilityType(), a.kind(), num(a.value()), num(a.threshold()), a.previousLevel(),
                "  " + name(a.district(), a.districtName()) + (a.season() == null ? "" : "  [" + a.season() + "]"));
    }

    String deadLetter(DeadLetter d) {
        return "DEAD    " + d.reason() + ": " + d.detail();
    }

    String lateEvent(LateEvent l) {
        return "LATE    " + l.event().waybillNo() + " " + l.event().scanType() + " at " + time(l.event().eventTime())
                + " is before the cutoff " + time(l.cutoff()) + " (" + l.source() + ")";
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format("%.1f", v);
    }
}
