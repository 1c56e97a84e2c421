package com.expressmonitor.testing;

/** Alert records as the tests of changing rules expect them, written out in full: station backlog of 330402. */
public final class ExpectedAlerts {
    private ExpectedAlerts() {}

    /**
     * The JSON of a station backlog alert of district 330402 on 2026-11-11 in Double-11 (times as {@code HH:mm}, local);
     * {@code opened} is the window end of the alert's first record, which names it.
     */
    public static String alert(String status, String level, String previous, Object value, Object threshold,
            String start, String end, String name, int version, String opened) {
        return "{\"alertId\":\"330402/STATION/BACKLOG/2026-11-11T" + opened + ":00+08:00\",\"district\":\"330402\","
                + "\"districtName\":" + (name == null ? "null" : "\"" + name + "\"") + ",\"facilityType\":\"STATION\","
                + "\"kind\":\"BACKLOG\",\"status\":\"" + status + "\",\"level\":\"" + level + "\",\"previousLevel\":\""
                + previous + "\",\"value\":" + value + ",\"threshold\":" + threshold + ",\"windowStart\":\"2026-11-11T"
                + start + ":00+08:00\",\"windowEnd\":\"2026-11-11T" + end + ":00+08:00\",\"season\":\"DOUBLE_11\","
                + "\"rulesVersion\":" + version + "}";
    }
}
