package com.expressmonitor.event;

/** The two kinds of facility a parcel stays in; lockers and courier points are stations. */
public enum FacilityType {
    SORTING_CENTER,
    STATION;

    /** Returns the facility type named exactly {@code name}, or null when there is none. */
    public static FacilityType parse(String name) {
        if ("SORTING_CENTER".equals(name)) {
            return SORTING_CENTER;
        }
        if ("STATION".equals(name)) {
            return STATION;
        }
        return null;
    }
}
