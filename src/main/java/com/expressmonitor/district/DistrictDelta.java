package com.expressmonitor.district;

import com.expressmonitor.event.FacilityType;

/**
 * A change to one (district, facility type, window): counts to add and changes to the running backlog and stuck
 * figures. The parcel tracker emits these; the window sums them per key and window.
 *
 * <p>A mutable POJO because it is also the window's accumulator.
 */
public class DistrictDelta {
    /** {@code DISTRICT/FACILITY_TYPE}, the key of the district operators. */
    public String key;
    /** End of the window the change belongs to (epoch ms). */
    public long windowEnd;
    public int arrivals;
    public int departures;
    public int deliveries;
    public int exceptions;
    /** Change of open stays counted at this window's end and every later one. */
    public int backlog;
    /** Change of stuck stays counted at this window's end and every later one. */
    public int stuck;

    public DistrictDelta() {}

    public DistrictDelta(String key, long windowEnd) {
        this.key = key;
        this.windowEnd = windowEnd;
    }

    /** Keys already built, per facility type: a key is needed for every change, and there are few districts. */
    @SuppressWarnings("unchecked")
    private static final java.util.concurrent.ConcurrentHashMap<String, String>[] KEYS =
            new java.util.concurrent.ConcurrentHashMap[FacilityType.values().length];

    static {
        for (int i = 0; i < KEYS.length; i++) {
            KEYS[i] = new java.util.concurrent.ConcurrentHashMap<>();
        }
    }
    private static final int MAX_CACHED_KEYS = 20_000;

    public static String key(String district, FacilityType type) {
        java.util.concurrent.ConcurrentHashMap<String, String> keys = KEYS[type.ordinal()];
        String key = keys.get(district);
        if (key == null) {
            key = district + '/' + type.name();
            if (keys.size() < MAX_CACHED_KEYS) {
                keys.putIfAbsent(district, key);
            }
        }
        return key;
    }

    public static String districtOf(String key) {
        return key.substring(0, key.indexOf('/'));
    }

    public static FacilityType typeOf(String key) {
        return FacilityType.valueOf(key.substring(key.indexOf('/') + 1));
    }

    /** Adds another change's counts to this one (same key and window). */
    public void add(DistrictDelta other) {
        arrivals += other.arrivals;
        departures += other.departures;
        deliveries += other.deliveries;
        exceptions += other.exceptions;
        backlog += other.backlog;
        stuck += other.stuck;
    }

    /** True when the window saw any scan activity, the condition for emitting its metrics. */
    public boolean hasActivity() {
        return arrivals + departures + deliveries + exceptions > 0;
    }

    @Override
    public String toString() {
        return key + "@" + windowEnd + "{arr=" + arrivals + ",dep=" + departures + ",del=" + deliveries + ",exc="
                + exceptions + ",backlog" + (backlog >= 0 ? "+" : "") + backlog + ",stuck" + (stuck >= 0 ? "+" : "")
                + stuck + "}";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DistrictDelta d && d.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
