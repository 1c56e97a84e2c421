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
        double hysteresis,
        AlertThresholds[] defaultThresholds,
        Map<String, DistrictConfig> districts,
        List<PeakSeason> peakSeasons,
        Map<String, FacilityInfo> facilities,
        Map<String, String> flink,
        KafkaSettings kafka) implements Serializable {

    public long sla(FacilityType type) {
        return slaMillis[type.ordinal()];
    }

    public ZoneOffset zoneOffset() {
        return ZoneOffset.ofTotalSeconds(zoneOffsetSeconds);
    }

    /** The district's name, or null when the configuration does not name it. */
    public String districtName(String code) {
        DistrictConfig d = districts.get(code);
        return d == null ? null : d.name();
    }

    /** The effective thresholds for a district and facility type (district overrides over the defaults). */
    public AlertThresholds thresholds(String district, FacilityType type) {
        DistrictConfig d = districts.get(district);
        return d == null ? defaultThresholds[type.ordinal()] : d.thresholds(type);
    }

    /** The district's hourly capacity for the facility type, or null when none is configured. */
    public Double capacity(String district, FacilityType type) {
        DistrictConfig d = districts.get(district);
        return d == null ? null : d.capacity(type);
    }

    /** The first listed season containing {@code date}, or null. */
    public PeakSeason seasonOn(LocalDate date) {
        for (PeakSeason s : peakSeasons) {
            if (s.contains(date)) {
                return s;
            }
        }
        return null;
    }
}
