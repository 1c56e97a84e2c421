package com.expressmonitor.config;

import com.expressmonitor.event.FacilityInfo;
import com.expressmonitor.event.FacilityType;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/** Reads the facility registry: a CSV of {@code facilityId,facilityType,districtCode}, with or without a header. */
public final class FacilityRegistryCsv {
    private FacilityRegistryCsv() {}

    public static Map<String, FacilityInfo> read(Path path) {
        Map<String, FacilityInfo> map = new HashMap<>();
        try (BufferedReader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                String t = line.strip();
                if (n == 1 && t.startsWith("\uFEFF")) {
                    t = t.substring(1);
                }
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                String[] cols = t.split(",", -1);
                if (n == 1 && cols[0].strip().equalsIgnoreCase("facilityId")) {
                    continue; // header
                }
                String where = path.getFileName() + ":" + n;
                if (cols.length != 3) {
                    throw new ConfigException("facilities", where + ": expected facilityId,facilityType,districtCode, got '" + line + "'");
                }
                String id = cols[0].strip();
                FacilityType type = FacilityType.parse(cols[1].strip());
                String district = cols[2].strip();
                if (id.isEmpty() || id.length() > 64) {
                    throw new ConfigException("facilities", where + ": facilityId must be 1-64 characters");
                }
                if (type == null) {
                    throw new ConfigException("facilities", where + ": facilityType must be SORTING_CENTER or STATION, got '"
                            + cols[1].strip() + "'");
                }
                if (!district.matches("\\d{6}")) {
                    throw new ConfigException("facilities", where + ": districtCode must be 6 digits, got '" + district + "'");
                }
                map.put(id, new FacilityInfo(type, district));
            }
        } catch (IOException e) {
            throw new ConfigException("facilities", "cannot read " + path + ": " + e.getMessage());
        }
        return Collections.unmodifiableMap(map);
    }
}
