package com.expressmonitor.metrics;

import com.expressmonitor.alert.AlertKind;
import com.expressmonitor.alert.AlertLevel;
import com.expressmonitor.alert.ThresholdsInForce;
import com.expressmonitor.event.FacilityType;

import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The alert gauges of one subtask of the alert operator: per {@code district} and {@code facilityType} the season
 * multiplier in force ({@code seasonMultiplier}), and per {@code kind} as well the level held now
 * ({@code alertLevel}: 0 none, 1 yellow, 2 red) and the thresholds of the latest evaluated window
 * ({@code thresholdYellow}, {@code thresholdRed}, multiplier applied). A kind's gauges appear once it is first
 * evaluated, so SURGE has none where no capacity is configured.
 *
 * <p>The values come from what the evaluation reports (levels and {@link ThresholdsInForce}), not from the
 * configuration, so they show what the alerts were decided on wherever the thresholds come from.
 *
 * <p>Districts beyond the bound of {@link DistrictLabels} share the label {@value DistrictLabels#OTHER}: their
 * {@code alertLevel} is the highest level any of them holds (counted per level, so no per-district figure is held),
 * their thresholds and multiplier those of the latest evaluated window among them. After a restart the held levels
 * come back from state but not these counts: the caller marks in a district's keyed state (with {@link #runId()})
 * that its levels are counted in this run, and passes them through {@link #countOther} the first time.
 *
 * <p>{@code rulesVersion} (one per subtask) is the version of the alert rules the subtask's latest evaluation used
 * (-1 before its first), so that a dashboard shows which rules its threshold lines come from.
 *
 * <p>Values are written by the task thread and read by the metrics reporter's thread, hence the volatile fields.
 */
public final class AlertGauges {
    private static final AlertKind[] KINDS = AlertKind.values();
    private static final int LEVELS = AlertLevel.values().length;

    private final MetricGroup group;
    private final DistrictLabels labels;
    private final long runId = ThreadLocalRandom.current().nextLong();
    private final Map<String, Labelled> byKey = new HashMap<>();
    private final Labelled[] other = new Labelled[FacilityType.values().length];
    /** Per facility type, kind and level: how many districts under {@value DistrictLabels#OTHER} hold it. */
    private final int[][][] otherCounts = new int[FacilityType.values().length][KINDS.length][LEVELS];

    private volatile long rulesVersion = -1;

    public AlertGauges(MetricGroup group, DistrictLabels labels) {
        this.group = group;
        this.labels = labels;
        group.gauge("rulesVersion", (Gauge<Long>) () -> rulesVersion);
    }

    /** Different on every start of the subtask; kept in a district's state once its levels are counted. */
    public long runId() {
        return runId;
    }

    /** True when {@code district} is published under {@value DistrictLabels#OTHER}. */
    public boolean isOther(String district) {
        return labels.isOther(district);
    }

    /** A district with its own label after an evaluation: the levels it holds and the thresholds used. */
    public void evaluated(String district, FacilityType type, byte[] levels, ThresholdsInForce inForce) {
        Labelled l = byKey.computeIfAbsent(district + '/' + type.name(), k -> new Labelled(district, type));
        l.show(inForce);
        rulesVersion = inForce.rulesVersion();
        for (AlertKind kind : KINDS) {
            if (inForce.evaluated(kind)) {
                l.kinds[kind.ordinal()].level = levels[kind.ordinal()];
            }
        }
    }

    /** A district under {@value DistrictLabels#OTHER} seen for the first time in this run: counts its levels. */
    public void countOther(FacilityType type, byte[] levels) {
        for (AlertKind kind : KINDS) {
            if (levels[kind.ordinal()] != 0) {
                otherCounts[type.ordinal()][kind.ordinal()][levels[kind.ordinal()]]++;
            }
        }
    }

    /** A district under {@value DistrictLabels#OTHER} changed the level of one kind. */
    public void otherChanged(FacilityType type, AlertKind kind, AlertLevel from, AlertLevel to) {
        int[] counts = otherCounts[type.ordinal()][kind.ordinal()];
        if (from != AlertLevel.NONE) {
            counts[from.ordinal()]--;
        }
        if (to != AlertLevel.NONE) {
            counts[to.ordinal()]++;
        }
    }

    /** A district under {@value DistrictLabels#OTHER} after an evaluation: the thresholds used. */
    public void otherEvaluated(FacilityType type, ThresholdsInForce inForce) {
        Labelled l = other[type.ordinal()];
        if (l == null) {
            l = new Labelled(DistrictLabels.OTHER, type);
            other[type.ordinal()] = l;
        }
        l.show(inForce);
        rulesVersion = inForce.rulesVersion();
        int[][] counts = otherCounts[type.ordinal()];
        for (AlertKind kind : KINDS) {
            int highest = 0;
            for (int level = LEVELS - 1; level > 0; level--) {
                if (counts[kind.ordinal()][level] > 0) {
                    highest = level;
                    break;
                }
            }
            if (l.kinds[kind.ordinal()] != null) {
                l.kinds[kind.ordinal()].level = highest;
            }
        }
    }

    /** One label pair's gauges; a kind's gauges are registered when it is first evaluated. */
    private final class Labelled {
        private final MetricGroup labelled;
        private final Kind[] kinds = new Kind[KINDS.length];
        private volatile double multiplier;

        Labelled(String label, FacilityType type) {
            labelled = group.addGroup("district", label).addGroup("facilityType", type.name());
            labelled.gauge("seasonMultiplier", (Gauge<Double>) () -> multiplier);
        }

        void show(ThresholdsInForce inForce) {
            multiplier = inForce.seasonMultiplier();
            for (AlertKind kind : KINDS) {
                if (!inForce.evaluated(kind)) {
                    continue;
                }
                Kind k = kinds[kind.ordinal()];
                if (k == null) {
                    k = new Kind(labelled.addGroup("kind", kind.name()));
                    kinds[kind.ordinal()] = k;
                }
                k.yellow = inForce.yellow(kind);
                k.red = inForce.red(kind);
            }
        }
    }

    /** The gauges of one kind under one label pair. */
    private static final class Kind {
        volatile int level;
        volatile double yellow;
        volatile double red;

        Kind(MetricGroup g) {
            g.gauge("alertLevel", (Gauge<Integer>) () -> level);
            g.gauge("thresholdYellow", (Gauge<Double>) () -> yellow);
            g.gauge("thresholdRed", (Gauge<Double>) () -> red);
        }
    }
}
