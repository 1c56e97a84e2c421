package com.expressmonitor.testing;

import com.expressmonitor.event.FacilityType;
import com.expressmonitor.event.ScanEvent;
import com.expressmonitor.event.ScanParser;
import com.expressmonitor.event.ScanType;

/** Builds scans and their JSON lines for tests; times are local Shanghai times like {@code 2026-11-11T10:00:00}. */
public final class Scans {
    private Scans() {}

    public static long at(String localTime) {
        return ScanParser.parseIsoTime(localTime + (localTime.length() == 16 ? ":00" : "") + "+08:00");
    }

    public static ScanEvent scan(String id, String waybill, ScanType type, String facility, FacilityType ftype,
            String district, String localTime) {
        return new ScanEvent(id, waybill, type, facility, ftype, district, "ZTO", at(localTime));
    }

    /** A JSON line with every field given. */
    public static String json(String id, String waybill, String type, String facility, String ftype, String district,
            String localTime) {
        return "{\"eventId\":\"" + id + "\",\"waybillNo\":\"" + waybill + "\",\"scanType\":\"" + type
                + "\",\"facilityId\":\"" + facility + "\",\"facilityType\":\"" + ftype + "\",\"districtCode\":\""
                + district + "\",\"carrier\":\"ZTO\",\"eventTime\":\"" + localTime + "+08:00\"}";
    }
}
