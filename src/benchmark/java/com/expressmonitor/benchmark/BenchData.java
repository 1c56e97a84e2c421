package com.expressmonitor.benchmark;

import com.expressmonitor.generator.NetworkModel;
import com.expressmonitor.generator.TrafficSimulator;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;

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
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 20))) {
            out.writeInt(count);
            for (int i = 0; i < count; i++) {
                TrafficSimulator sim = new TrafficSimulator(NetworkModel.demo(), LocalDate.parse(DAY),
                        ZoneOffset.ofTotalSeconds(OFFSET_SECONDS), parcels, seed, i, count);
                byte[] buf = new byte[1 << 24];
                int[] offsets = new int[1 << 16];
                int n = 0;
                int pos = 0;
                while (sim.hasNext()) {
                    byte[] r = sim.next();
                    if (pos + r.length > buf.length) {
                        buf = Arrays.copyOf(buf, buf.length * 2);
                    }
                    if (n + 2 > offsets.length) {
                        offsets = Arrays.copyOf(offsets, offsets.length * 2);
                    }
                    offsets[n++] = pos;
                    System.arraycopy(r, 0, buf, pos, r.length);
                    pos += r.length;
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
