package com.expressmonitor.alert;

import java.util.Arrays;

/**
 * The thresholds an evaluation used for one metrics record: the yellow and red threshold of each kind with the
 * season's multiplier applied (for SURGE in arrivals per hour: ratio × capacity × multiplier), and the multiplier.
 * A kind that was not evaluated (SURGE without a configured capacity) has NaN thresholds.
 *
 * <p>Produced by {@link AlertEvaluator} so that what dashboards show is exactly what the alerts were decided on.
 */
public final class ThresholdsInForce {
    private final double seasonMultiplier;
    private final long rulesVersion;
    private final double[] yellow = new double[AlertKind.values().length];
    private final double[] red = new double[AlertKind.values().length];

    public ThresholdsInForce(double seasonMultiplier) {
        this(seasonMultiplier, 0);
    }

    /** @param rulesVersion the version of the rules the thresholds come from */
    public ThresholdsInForce(double seasonMultiplier, long rulesVersion) {
        this.seasonMultiplier = seasonMultiplier;
        this.rulesVersion = rulesVersion;
        Arrays.fill(yellow, Double.NaN);
        Arrays.fill(red, Double.NaN);
    }

    void set(AlertKind kind, double yellowThreshold, double redThreshold) {
        yellow[kind.ordinal()] = yellowThreshold;
        red[kind.ordinal()] = redThreshold;
    }

    /** The peak season's threshold multiplier of the evaluated window; 1 outside seasons. */
    public double seasonMultiplier() {
        return seasonMultiplier;
    }

    /** The version of the alert rules the evaluation used. */
    public long rulesVersion() {
        return rulesVersion;
    }

    public boolean evaluated(AlertKind kind) {
        return !Double.isNaN(yellow[kind.ordinal()]);
    }

    public double yellow(AlertKind kind) {
        return yellow[kind.ordinal()];
    }

    public double red(AlertKind kind) {
        return red[kind.ordinal()];
    }
}
