package com.expressmonitor.config;

import com.expressmonitor.event.FacilityType;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The alert rules: the {@code alerts}, {@code districts} and {@code peak-seasons} sections of the configuration,
 * validated. The configuration file gives the rules a job starts with; updates sent while it runs replace them
 * (see {@link RuleUpdate}).
 *
 * <p>{@code json} is the rules in the configuration's own shape, as canonical JSON (numbers as numbers, district
 * threshold overrides as written, not merged with the defaults), so that an update can be merged into them, they can
 * be kept in the job's state as text and shown to users as they would write them. Built only by {@link ConfigLoader}.
 *
 * @param districts by code, in the order listed
 * @param json {@code {"alerts": {...}, "districts": [...], "peak-seasons": [...]}}
 */
public record Rules(
        double hysteresis,
        AlertThresholds[] defaultThresholds,
        Map<String, DistrictConfig> districts,
        List<PeakSeason> peakSeasons,
        String json) implements Serializable {

    /** The district's name, or null when the rules do not name it. */
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

    /** Rules are equal when their canonical JSON is. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Rules r && r.json.equals(json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return "Rules" + json;
    }
}
