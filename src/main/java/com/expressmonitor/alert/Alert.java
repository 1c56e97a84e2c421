package com.expressmonitor.alert;

import com.expressmonitor.event.FacilityType;

/**
 * A change of alert level for one district, facility type and kind (SPEC §3 "Alerts").
 *
 * @param threshold the new level's threshold with the season multiplier; for RESOLVED the yellow threshold × (1 - h)
 * @param rulesVersion the version of the alert rules the window was evaluated with (0: the configuration file's)
 */
public record Alert(
        String alertId,
        String district,
        String districtName,
        FacilityType facilityType,
        AlertKind kind,
        AlertStatus status,
        AlertLevel level,
        AlertLevel previousLevel,
        double value,
        double threshold,
        long windowStart,
        long windowEnd,
        String season,
        long rulesVersion) {}
