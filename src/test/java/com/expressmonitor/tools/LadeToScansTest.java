package com.expressmonitor.tools;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

/** The LaDe-D converter writes an arrival and a delivery per row, in event-time order. */
class LadeToScansTest {
    @TempDir
    Path dir;

    @Test
    void rowsBecomeArrivalAndDeliveryScansInTimeOrder() throws Exception {
        Path csv = dir.resolve("lade.csv");
        Files.writeString(csv, """
                course_row_id,source_row_number,city,aoi_type,accept_time,delivery_time,ds,delivery_duration_minutes
                lade-jilin-00001,1,Jilin,14,09-25 08:08:00,09-25 11:32:00,0925,204
                lade-jilin-00002,2,Jilin,1,09-25 07:11:00,09-25 09:00:00,0925,109
                """);
        Path out = dir.resolve("scans.jsonl");
        LadeToScans.main(new String[] {csv.toString(), out.toString(), "--year", "2025"});
        assertThat(Files.readAllLines(out)).containsExactly(
                "{\"eventId\":\"lade-jilin-00002-1\",\"waybillNo\":\"lade-jilin-00002\",\"scanType\":\"ARRIVED\","
                        + "\"facilityId\":\"JL-220202-AOI1\",\"facilityType\":\"STATION\",\"districtCode\":\"220202\","
                        + "\"carrier\":\"CAINIAO\",\"eventTime\":\"2025-09-25T07:11:00+08:00\"}",
                "{\"eventId\":\"lade-jilin-00001-1\",\"waybillNo\":\"lade-jilin-00001\",\"scanType\":\"ARRIVED\","
                        + "\"facilityId\":\"JL-220202-AOI14\",\"facilityType\":\"STATION\",\"districtCode\":\"220202\","
                        + "\"carrier\":\"CAINIAO\",\"eventTime\":\"2025-09-25T08:08:00+08:00\"}",
                "{\"eventId\":\"lade-jilin-00002-2\",\"waybillNo\":\"lade-jilin-00002\",\"scanType\":\"DELIVERED\","
                        + "\"facilityId\":\"JL-220202-AOI1\",\"facilityType\":\"STATION\",\"districtCode\":\"220202\","
                        + "\"carrier\":\"CAINIAO\",\"eventTime\":\"2025-09-25T09:00:00+08:00\"}",
                "{\"eventId\":\"lade-jilin-00001-2\",\"waybillNo\":\"lade-jilin-00001\",\"scanType\":\"DELIVERED\","
                        + "\"facilityId\":\"JL-220202-AOI14\",\"facilityType\":\"STATION\",\"districtCode\":\"220202\","
                        + "\"carrier\":\"CAINIAO\",\"eventTime\":\"2025-09-25T11:32:00+08:00\"}");
    }

    @Test
    void thePublishedDeliveryFileIsReadByOrderId() throws Exception {
        Path csv = dir.resolve("delivery_jl.csv");
        Files.writeString(csv, """
                order_id,region_id,city,courier_id,lng,lat,aoi_id,aoi_type,accept_time,accept_gps_time,accept_gps_lng,accept_gps_lat,delivery_time,delivery_gps_time,delivery_gps_lng,delivery_gps_lat,ds
                4511,10,Jilin,1,126.5,43.8,7,14,06-17 08:08:00,06-17 08:08:00,126.5,43.8,06-17 11:32:00,06-17 11:32:00,126.5,43.8,617
                """);
        Path out = dir.resolve("lade.jsonl");
        LadeToScans.main(new String[] {csv.toString(), out.toString()});
        assertThat(Files.readAllLines(out)).containsExactly(
                "{\"eventId\":\"4511-1\",\"waybillNo\":\"4511\",\"scanType\":\"ARRIVED\",\"facilityId\":\"JL-220202-AOI14\","
                        + "\"facilityType\":\"STATION\",\"districtCode\":\"220202\",\"carrier\":\"CAINIAO\","
                        + "\"eventTime\":\"2025-06-17T08:08:00+08:00\"}",
                "{\"eventId\":\"4511-2\",\"waybillNo\":\"4511\",\"scanType\":\"DELIVERED\",\"facilityId\":\"JL-220202-AOI14\","
                        + "\"facilityType\":\"STATION\",\"districtCode\":\"220202\",\"carrier\":\"CAINIAO\","
                        + "\"eventTime\":\"2025-06-17T11:32:00+08:00\"}");
    }
}
