package com.expressmonitor.config;

import com.expressmonitor.event.FacilityInfo;
import com.expressmonitor.event.FacilityType;

import java.io.Serializable;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * The validated configuration of SPEC §4, as the pipeline's functions use it.
 *
 * <p>Built only by {@link ConfigLoader}, which checks every value; it is immutable and travels with the job graph.
 * The alert rules ({@code alerts}, {@code districts}, {@code peak-seasons}) are its {@link Rules}: those a job
 * starts with, which updates may replace while it runs.
 *
 * @param rules the alert rules of the configuration file (version 0)
 */
public record MonitorConfig(
        long windowSizeMillis,
        String timezone,
        int zoneOffsetSeconds,
        long outOfOrdernessMillis,
        long idlenessMillis,
        long maxDriftMillis,
        long maxFutureMillis,
        long retentionAfterDeliveryMillis,
        long abandonAfterMillis,
        long[] slaMillis,
        Rules rules,
        Map<String, FacilityInfo> facilities,
        Map<String, String> flink,
        KafkaSettings kafka) implements Serializable {

    public long sla(FacilityType type) {
        return slaMillis[type.ordinal()];
    }

    public ZoneOffset zoneOffset() {
        return ZoneOffset.ofTotalSeconds(zoneOffsetSeconds);
    }

    public double hysteresis() {
        return rules.hysteresis();
    }

    public AlertThresholds[] defaultThresholds() {
        return rules.defaultThresholds();
    }

    /** The districts of the configuration file, by code, in the order listed. */
    public Map<String, DistrictConfig> districts() {
        return rules.districts();
    }

    public List<PeakSeason> peakSeasons() {
        return rules.peakSeasons();
    }

    /** The district's name in the configuration file, or null when it does not name it. */
    public String districtName(String code) {
        return rules.districtName(code);
    }

    /** The effective thresholds of the configuration file for a district and facility type. */
    public AlertThresholds thresholds(String district, FacilityType type) {
        return rules.thresholds(district, type);
    }

    /** The district's hourly capacity for the facility type in the configuration file, or null. */
    public Double capacity(String district, FacilityType type) {
        return rules.capacity(district, type);
    }

    /** The first season of the configuration file containing {@code date}, or null. */
    public PeakSeason seasonOn(LocalDate date) {
        return rules.seasonOn(date);
    }
}
