package com.expressmonitor.alert;

import com.expressmonitor.config.AlertThresholds;
import com.expressmonitor.config.LevelThresholds;
import com.expressmonitor.config.LocalTimes;
import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.config.PeakSeason;
import com.expressmonitor.config.Rules;
import com.expressmonitor.district.DistrictMetrics;

import java.io.Serializable;
import java.util.function.Consumer;

/**
 * Decides, for one metrics record, the new level of each alert kind with peak-season multipliers and hysteresis,
 * and reports every change. Pure logic over {@link AlertState}, so it is tested without Flink. The thresholds,
 * capacities, seasons and hysteresis come from the {@link Rules} the window is evaluated with.
 */
public class AlertEvaluator implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final AlertLevel[] LEVELS = AlertLevel.values();
    private static final AlertKind[] KINDS = AlertKind.values();

    private final MonitorConfig config;

    /**
     * An evaluator in the configuration's time zone; {@link #evaluate(AlertState, DistrictMetrics, Consumer)} uses the
     * configuration file's rules.
     */
    public AlertEvaluator(MonitorConfig config) {
        this.config = config;
    }

    /** Evaluates {@code m} with the configuration file's rules (version 0). */
    public ThresholdsInForce evaluate(AlertState state, DistrictMetrics m, Consumer<Alert> out) {
        return evaluate(config.rules(), 0, state, m, out);
    }

    /**
     * Evaluates BACKLOG, STUCK then SURGE on {@code m} with {@code rules}, updating {@code state} and passing each
     * change on. The alerts take the district's name and the season from {@code m}, which the caller fills in from the
     * same rules.
     *
     * @param rulesVersion the version of {@code rules}, carried by the alerts
     * @return the thresholds the evaluation used, for the gauges that show them
     */
    public ThresholdsInForce evaluate(Rules rules, long rulesVersion, AlertState state, DistrictMetrics m,
            Consumer<Alert> out) {
        PeakSeason season = rules.seasonOn(LocalTimes.localDate(m.windowStart(), config.zoneOffsetSeconds()));
        double multiplier = season == null ? 1.0 : season.thresholdMultiplier();
        ThresholdsInForce inForce = new ThresholdsInForce(multiplier, rulesVersion);
        AlertThresholds th = rules.thresholds(m.district(), m.facilityType());
        for (AlertKind kind : KINDS) {
            double yellow;
            double red;
            double value;
            switch (kind) {
                case BACKLOG -> {
                    value = m.backlog();
                    yellow = th.backlog().yellow() * multiplier;
                    red = th.backlog().red() * multiplier;
                }
                case STUCK -> {
                    value = m.stuck();
                    yellow = th.stuck().yellow() * multiplier;
                    red = th.stuck().red() * multiplier;
                }
                default -> {
                    Double capacity = rules.capacity(m.district(), m.facilityType());
                    if (capacity == null) {
                        continue; // SURGE is not evaluated without a capacity
                    }
                    LevelThresholds surge = th.surge();
                    value = m.arrivals() * 3600.0 / ((m.windowEnd() - m.windowStart()) / 1000.0);
                    yellow = surge.yellow() * capacity * multiplier;
                    red = surge.red() * capacity * multiplier;
                }
            }
            inForce.set(kind, yellow, red);
            evaluateKind(state, kind, value, yellow, red, rules.hysteresis(), rulesVersion, m, out);
        }
        return inForce;
    }

    private void evaluateKind(AlertState state, AlertKind kind, double value, double yellow, double red, double h,
            long rulesVersion, DistrictMetrics m, Consumer<Alert> out) {
        AlertLevel current = LEVELS[state.levels[kind.ordinal()]];
        AlertLevel raw = value >= red ? AlertLevel.RED : value >= yellow ? AlertLevel.YELLOW : AlertLevel.NONE;
        AlertLevel held = current;
        while (held != AlertLevel.NONE && !(value >= threshold(held, yellow, red) * (1 - h))) {
            held = LEVELS[held.ordinal() - 1];
        }
        AlertLevel next = raw.compareTo(held) >= 0 ? raw : held;
        if (next == current) {
            return;
        }
        AlertStatus status;
        String id = state.alertIds[kind.ordinal()];
        if (current == AlertLevel.NONE) {
            status = AlertStatus.OPEN;
            id = m.district() + "/" + m.facilityType() + "/" + kind + "/"
                    + LocalTimes.format(m.windowEnd(), config.zoneOffset());
        } else if (next == AlertLevel.NONE) {
            status = AlertStatus.RESOLVED;
        } else {
            status = next.compareTo(current) > 0 ? AlertStatus.ESCALATED : AlertStatus.DEESCALATED;
        }
        double threshold = next == AlertLevel.NONE ? yellow * (1 - h) : threshold(next, yellow, red);
        state.levels[kind.ordinal()] = (byte) next.ordinal();
        state.alertIds[kind.ordinal()] = next == AlertLevel.NONE ? null : id;
        out.accept(new Alert(id, m.district(), m.districtName(), m.facilityType(), kind, status, next, current, value,
                threshold, m.windowStart(), m.windowEnd(), m.season(), rulesVersion));
    }

    private static double threshold(AlertLevel level, double yellow, double red) {
        return level == AlertLevel.RED ? red : yellow;
    }
}
