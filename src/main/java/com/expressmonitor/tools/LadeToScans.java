package com.expressmonitor.tools;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a last-mile delivery CSV of the public LaDe-D dataset (one row per parcel: the time a station's courier took
 * it on, and the time it was delivered) into a scan feed: ARRIVED then DELIVERED at a station per area type, in
 * event-time order, as the handhelds would have reported them.
 *
 * <p>Usage: {@code LadeToScans CSV OUT.jsonl [--year 2025] [--district 220202]}. The dataset's times are local
 * (UTC+8) {@code MM-dd HH:mm:ss} without a year.
 */
public final class LadeToScans {
    private LadeToScans() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: LadeToScans CSV OUT.jsonl [--year YYYY] [--district CODE]");
            System.exit(2);
        }
        String year = "2025";
        String district = "220202";
        for (int i = 2; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--year" -> year = args[i + 1];
                case "--district" -> district = args[i + 1];
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        record Scan(String time, String json) {}
        List<Scan> scans = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8)) {
            String header = r.readLine();
            List<String> cols = List.of(header.split(","));
            int id = cols.indexOf("course_row_id");
            int aoi = cols.indexOf("aoi_type");
            int accept = cols.indexOf("accept_time");
            int delivered = cols.indexOf("delivery_time");
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.split(",", -1);
                String waybill = f[id].replaceAll("[^A-Za-z0-9-]", "-");
                String station = "JL-" + district + "-AOI" + f[aoi];
                String in = year + "-" + f[accept].replace(' ', 'T') + "+08:00";
                String out = year + "-" + f[delivered].replace(' ', 'T') + "+08:00";
                scans.add(new Scan(in, json(waybill + "-1", waybill, "ARRIVED", station, district, in)));
                scans.add(new Scan(out, json(waybill + "-2", waybill, "DELIVERED", station, district, out)));
            }
        }
        scans.sort((a, b) -> a.time.compareTo(b.time)); // same offset everywhere, so text order is time order
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(Path.of(args[1]), StandardCharsets.UTF_8))) {
            for (Scan s : scans) {
                w.println(s.json);
            }
        }
        System.out.println(scans.size() + " scans written to " + args[1]);
    }

    private static String json(String eventId, String waybill, String type, String station, String district,
            String time) {
        return "{\"eventId\":\"" + eventId + "\",\"waybillNo\":\"" + waybill + "\",\"scanType\":\"" + type
                + "\",\"facilityId\":\"" + station + "\",\"facilityType\":\"STATION\",\"districtCode\":\"" + district
                + "\",\"carrier\":\"CAINIAO\",\"eventTime\":\"" + time + "\"}";
    }
}
