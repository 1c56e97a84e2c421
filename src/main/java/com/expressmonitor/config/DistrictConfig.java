package com.expressmonitor.config;

import com.expressmonitor.event.FacilityType;

import java.io.Serializable;

/**
 * One district's name, hourly capacities and effective thresholds (overrides already merged with the defaults).
 *
 * @param capacityPerHour per facility type ordinal; null where no capacity is configured
 * @param thresholds per facility type ordinal
 */
public record DistrictConfig(String code, String name, Double[] capacityPerHour, AlertThresholds[] thresholds)
        implements Serializable {

    public Double capacity(FacilityType type) {
        return capacityPerHour[type.ordinal()];
    }

    public AlertThresholds thresholds(FacilityType type) {
        return thresholds[type.ordinal()];
    }
}
