package com.expressmonitor.event;

/**
 * The two kinds of facility a parcel stays in; lockers and courier points are stations. (The parcel state's compact
 * form stores the type in one bit: a third type needs a change there.)
 */
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
