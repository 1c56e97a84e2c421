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
 * (UTC+8) {@code MM-dd HH:mm:ss} without a year. The dataset is Cainiao's LaDe (Hugging Face {@code Cainiao-AI/LaDe},
 * Apache-2.0); its delivery part's Jilin file is {@code delivery/delivery_jl.csv}, whose parcels are identified by
 * {@code order_id} (extracts that carry a {@code course_row_id} column are read by that instead).
 */
public final class LadeToScans {
    private LadeToScans() {}

    static final String USAGE = """
            Usage: java -cp target/express-traffic-monitor.jar com.expressmonitor.tools.LadeToScans CSV OUT.jsonl \
                [--year 2025] [--district 220202]
            Turns a LaDe-D delivery CSV (e.g. delivery/delivery_jl.csv of the Hugging Face dataset Cainiao-AI/LaDe)
            into scans: an ARRIVED and a DELIVERED per parcel at a station per area type, in time order.
              --year YYYY      the year of the dataset's MM-dd times (default 2025)
              --district CODE  the GB/T 2260 district the stations are in (default 220202, Jilin's Changyi district)
            """;

    public static void main(String[] args) throws IOException {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.print(USAGE);
            return;
        }
        if (args.length < 2) {
            System.err.println("lade-to-scans: give the CSV to read and the JSON-lines file to write; --help says more");
            System.exit(2);
        }
        if (!Files.isReadable(Path.of(args[0]))) {
            System.err.println("lade-to-scans: cannot read " + args[0] + "; download delivery/delivery_jl.csv of the "
                    + "Hugging Face dataset Cainiao-AI/LaDe and give its path");
            System.exit(2);
        }
        String year = "2025";
        String district = "220202";
        for (int i = 2; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--year" -> year = args[i + 1];
                case "--district" -> district = args[i + 1];
                default -> {
                    System.err.println("lade-to-scans: unknown option " + args[i] + "; --year and --district are known");
                    System.exit(2);
                }
            }
        }
        record Scan(String time, String json) {}
        List<Scan> scans = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8)) {
            String header = r.readLine();
            List<String> cols = List.of(header.split(","));
            int id = cols.contains("course_row_id") ? cols.indexOf("course_row_id") : cols.indexOf("order_id");
            int aoi = cols.indexOf("aoi_type");
            int accept = cols.indexOf("accept_time");
            int delivered = cols.indexOf("delivery_time");
            if (id < 0 || aoi < 0 || accept < 0 || delivered < 0) {
                System.err.println("lade-to-scans: " + args[0] + " lacks the columns order_id (or course_row_id), "
                        + "aoi_type, accept_time and delivery_time; give a LaDe-D delivery CSV");
                System.exit(2);
            }
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
