package com.expressmonitor.metrics;

import com.expressmonitor.district.DistrictMetrics;
import com.expressmonitor.event.FacilityType;

import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The per-district gauges of one subtask of the district-metrics operator, labelled {@code district} and
 * {@code facilityType}: {@code backlog} and {@code stuck} (open and stuck stays after the latest window in which
 * the district changed), and of the latest window with activity {@code arrivals}, {@code departures},
 * {@code arrivalsPerHour}, {@code departuresPerHour} (count × 3600 / window seconds) and {@code windowEnd}
 * (epoch ms).
 *
 * <p>Districts beyond the bound of {@link DistrictLabels} share the label {@value DistrictLabels#OTHER}: there
 * {@code backlog} and {@code stuck} are the sums over those districts, kept from the changes of each window so that
 * no per-district figure is held, and the window figures are the sums over those districts of the latest window
 * (all keys' windows ending at one instant fire before any later one). After a restart a district's running totals
 * come back from state but not these sums: {@link #runId()} lets the caller mark, in the district's keyed state, that
 * its totals are already in the sums of this run, and pass the whole totals the first time.
 *
 * <p>Values are written by the task thread and read by the metrics reporter's thread, hence the volatile fields.
 */
public final class DistrictGauges {
    private final MetricGroup group;
    private final DistrictLabels labels;
    private final long runId = ThreadLocalRandom.current().nextLong();
    private final Map<String, Figures> byKey = new HashMap<>();
    private final Figures[] other = new Figures[FacilityType.values().length];

    public DistrictGauges(MetricGroup group, DistrictLabels labels) {
        this.group = group;
        this.labels = labels;
    }

    /** Different on every start of the subtask; kept in a district's state once its totals are in this run's sums. */
    public long runId() {
        return runId;
    }

    /** True when {@code district} is published under {@value DistrictLabels#OTHER}. */
    public boolean isOther(String district) {
        return labels.isOther(district);
    }

    /** A district with its own label: its open and stuck stays after the window just fired. */
    public void totals(String district, FacilityType type, long backlog, long stuck) {
        Figures f = figures(district, type);
        f.backlog = backlog;
        f.stuck = stuck;
    }

    /** A district published as {@value DistrictLabels#OTHER}: adds to the sums of open and stuck stays. */
    public void addToOther(FacilityType type, long backlog, long stuck) {
        Figures f = figures(DistrictLabels.OTHER, type);
        f.backlog += backlog;
        f.stuck += stuck;
    }

    /** A metrics record (a window with activity) of any district. */
    public void window(DistrictMetrics m) {
        boolean isOther = isOther(m.district());
        Figures f = figures(isOther ? DistrictLabels.OTHER : m.district(), m.facilityType());
        f.registerWindowGauges();
        double hours = (m.windowEnd() - m.windowStart()) / 3_600_000.0;
        if (isOther && f.windowEnd == m.windowEnd()) {
            f.arrivals += m.arrivals();
            f.departures += m.departures();
        } else if (isOther && f.windowEnd > m.windowEnd()) {
            return; // an older window than the one being summed: not the latest
        } else {
            f.arrivals = m.arrivals();
            f.departures = m.departures();
        }
        f.arrivalsPerHour = f.arrivals / hours;
        f.departuresPerHour = f.departures / hours;
        f.windowEnd = m.windowEnd();
    }

    private Figures figures(String label, FacilityType type) {
        if (DistrictLabels.OTHER.equals(label)) {
            Figures f = other[type.ordinal()];
            if (f == null) {
                f = new Figures(label, type);
                other[type.ordinal()] = f;
            }
            return f;
        }
        return byKey.computeIfAbsent(label + '/' + type.name(), k -> new Figures(label, type));
    }

    /** One label pair's gauges; the window gauges appear with the first window with activity. */
    private final class Figures {
        private final MetricGroup labelled;
        volatile long backlog;
        volatile long stuck;
        volatile long arrivals;
        volatile long departures;
        volatile double arrivalsPerHour;
        volatile double departuresPerHour;
        volatile long windowEnd;
        private boolean windowGauges;

        Figures(String label, FacilityType type) {
            labelled = group.addGroup("district", label).addGroup("facilityType", type.name());
            labelled.gauge("backlog", (Gauge<Long>) () -> backlog);
            labelled.gauge("stuck", (Gauge<Long>) () -> stuck);
        }

        void registerWindowGauges() {
            if (!windowGauges) {
                windowGauges = true;
                labelled.gauge("arrivals", (Gauge<Long>) () -> arrivals);
                labelled.gauge("departures", (Gauge<Long>) () -> departures);
                labelled.gauge("arrivalsPerHour", (Gauge<Double>) () -> arrivalsPerHour);
                labelled.gauge("departuresPerHour", (Gauge<Double>) () -> departuresPerHour);
                labelled.gauge("windowEnd", (Gauge<Long>) () -> windowEnd);
            }
        }
    }
}
