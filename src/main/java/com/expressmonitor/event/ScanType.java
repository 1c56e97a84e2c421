package com.expressmonitor.event;

/** What a scan records; the declaration order is the tie order for scans of one parcel at the same instant. */
public enum ScanType {
    COLLECTED,
    ARRIVED,
    EXCEPTION,
    OUT_FOR_DELIVERY,
    DEPARTED,
    DELIVERED;

    private static final ScanType[] VALUES = values();

    /** Returns the scan type named exactly {@code name}, or null when there is none. */
    public static ScanType parse(String name) {
        for (ScanType t : VALUES) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
