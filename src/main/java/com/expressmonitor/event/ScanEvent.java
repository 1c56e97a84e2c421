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
        return c != 0 ? c : compareCodePoints(a.eventId, b.eventId);
    }

    /**
     * Compares by Unicode code points, not UTF-16 units ({@link String#compareTo}), which order characters beyond
     * U+FFFF before U+E000..U+FFFF.
     */
    static int compareCodePoints(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                if (Character.isSurrogate(x) || Character.isSurrogate(y)) {
                    return Integer.compare(a.codePointAt(i), b.codePointAt(i));
                }
                return x - y;
            }
        }
        return a.length() - b.length();
    }
}
