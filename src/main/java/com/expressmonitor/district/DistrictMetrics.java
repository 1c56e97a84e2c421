package com.expressmonitor.district;

import com.expressmonitor.event.FacilityType;

/**
 * The figures of one district and facility type over one window (SPEC §3 "District metrics").
 *
 * @param windowStart epoch ms, inclusive
 * @param windowEnd epoch ms, exclusive
 * @param season name of the peak season the window starts in, or null
 */
public record DistrictMetrics(
        String district,
        String districtName,
        FacilityType facilityType,
        long windowStart,
        long windowEnd,
        long arrivals,
        long departures,
        long deliveries,
        long exceptions,
        long backlog,
        long stuck,
        String season) {

    /** The key of the district operators, {@code DISTRICT/FACILITY_TYPE}. */
    public String key() {
        return DistrictDelta.key(district, facilityType);
    }
}
