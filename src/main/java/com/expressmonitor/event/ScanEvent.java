package com.expressmonitor.event;

/**
 * A valid scan after validation and registry lookup: every field but {@code carrier} is set.
 *
 * @param eventTime epoch milliseconds
 */
public record ScanEvent(
        String eventId,
        String waybillNo,
        ScanType scanType,
        String facilityId,
        FacilityType facilityType,
        String districtCode,
        String carrier,
        long eventTime) {

    /** Orders a parcel's scans as SPEC §3 applies them: event time, then scan type, then event id. */
    public static int compareForApplication(ScanEvent a, ScanEvent b) {
        int c = Long.compare(a.eventTime, b.eventTime);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(a.scanType.ordinal(), b.scanType.ordinal());
        return c != 0 ? c : a.eventId.compareTo(b.eventId);
    }
}
