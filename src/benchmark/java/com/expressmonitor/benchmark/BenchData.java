package com.expressmonitor.benchmark;

import com.expressmonitor.generator.NetworkModel;
import com.expressmonitor.generator.TrafficSimulator;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Pre-generated input: the serialized JSON scan records of each split, packed into one byte array per split with an
 * offset table (no object per record), generated once by {@link TrafficSimulator} and cached in a file so that the
 * benchmark runs (one JVM each) neither measure nor repeat the generation.
 */
public final class BenchData {
    public static final String DAY = "2026-11-11";
    public static final int OFFSET_SECONDS = 8 * 3600;

    /** The splits of the current JVM's benchmark, read by {@link MemorySource} readers in this JVM. */
    static volatile Split[] splits;

    /** One split: record i is {@code bytes[offsets[i], offsets[i+1])}. */
    public record Split(byte[] bytes, int[] offsets) {
        int size() {
            return offsets.length - 1;
        }
    }

    private BenchData() {}

    /** Keeps about {@code events} records in all, the first ones of each split. */
    static void limit(long events) {
        long perSplit = events / splits.length;
        for (int i = 0; i < splits.length; i++) {
            Split s = splits[i];
            if (s.size() > perSplit) {
                splits[i] = new Split(s.bytes, Arrays.copyOf(s.offsets, (int) perSplit + 1));
            }
        }
    }

    static long totalRecords() {
        long n = 0;
        for (Split s : splits) {
            n += s.size();
        }
        return n;
    }

    static long totalBytes() {
        long n = 0;
        for (Split s : splits) {
            n += s.bytes.length + 4L * s.offsets.length;
        }
        return n;
    }

    /** Generates {@code parcels} parcels of one Double-11 day in {@code count} splits and writes them to {@code file}. */
    static void generate(Path file, long parcels, long seed, int count) throws IOException {
        generate(file, parcels, seed, count, 0);
    }

    /**
     * The same, with {@code hotScans} scans of one parcel mixed evenly into the first split (a scanner stuck in a
     * loop: arrival scans at the same station, each with its own event id, at the time of the record before it).
     */
    static void generate(Path file, long parcels, long seed, int count, long hotScans) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 20))) {
            out.writeInt(count);
            for (int i = 0; i < count; i++) {
                TrafficSimulator sim = new TrafficSimulator(NetworkModel.demo(), LocalDate.parse(DAY),
                        ZoneOffset.ofTotalSeconds(OFFSET_SECONDS), parcels, seed, i, count);
                byte[] buf = new byte[1 << 24];
                int[] offsets = new int[1 << 16];
                int n = 0;
                int pos = 0;
                long expected = i == 0 && hotScans > 0 ? parcels * 83 / 10 / count : 0; // about 8.3 records a parcel
                long read = 0;
                long hot = 0;
                String time = null;
                List<byte[]> records = new ArrayList<>();
                while (sim.hasNext()) {
                    records.clear();
                    byte[] r = sim.next();
                    records.add(r);
                    read++;
                    if (expected > 0) {
                        String t = eventTime(r);
                        time = t != null ? t : time;
                        long due = Math.min(hotScans, hotScans * read / expected);
                        for (; hot < due && time != null; hot++) {
                            records.add(("{\"eventId\":\"hot-" + hot + "\",\"waybillNo\":\"HOT000000000001\","
                                    + "\"scanType\":\"ARRIVED\",\"facilityId\":\"ST-330482-HOT\",\"facilityType\":"
                                    + "\"STATION\",\"districtCode\":\"330482\",\"eventTime\":\"" + time + "\"}")
                                    .getBytes(StandardCharsets.UTF_8));
                        }
                    }
                    for (byte[] rec : records) {
                        if (pos + rec.length > buf.length) {
                            buf = Arrays.copyOf(buf, buf.length * 2);
                        }
                        if (n + 2 > offsets.length) {
                            offsets = Arrays.copyOf(offsets, offsets.length * 2);
                        }
                        offsets[n++] = pos;
                        System.arraycopy(rec, 0, buf, pos, rec.length);
                        pos += rec.length;
                    }
                }
                offsets[n] = pos;
                out.writeInt(n);
                for (int k = 0; k <= n; k++) {
                    out.writeInt(offsets[k]);
                }
                out.write(buf, 0, pos);
            }
        }
    }

    /** The {@code eventTime} string of a generated record, or null (a garbled one). */
    private static String eventTime(byte[] record) {
        String s = new String(record, StandardCharsets.UTF_8);
        int at = s.indexOf("\"eventTime\":\"");
        int end = at < 0 ? -1 : s.indexOf('"', at + 13);
        return end < 0 ? null : s.substring(at + 13, end);
    }

    static Split[] load(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            Split[] result = new Split[in.readInt()];
            for (int i = 0; i < result.length; i++) {
                int n = in.readInt();
                int[] offsets = new int[n + 1];
                for (int k = 0; k <= n; k++) {
                    offsets[k] = in.readInt();
                }
                byte[] bytes = new byte[offsets[n]];
                in.readFully(bytes);
                result[i] = new Split(bytes, offsets);
            }
            return result;
        }
    }
}
