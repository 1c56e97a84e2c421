package com.expressmonitor.event;

import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The compact binary pieces of the project's serializers: strings as a variable-length size (with a flag for UTF-8)
 * and their bytes, and variable-length integers, so that short ASCII ids take one byte more than their text.
 */
public final class CompactBinary {
    private CompactBinary() {}

    /** ASCII text as its chars, anything else as UTF-8; the size and which of the two come first, as a var-int. */
    public static void writeString(DataOutputView out, String s) throws IOException {
        int n = s.length();
        boolean ascii = true;
        for (int i = 0; i < n && ascii; i++) {
            ascii = s.charAt(i) < 0x80;
        }
        if (ascii) {
            writeVarInt(out, n << 1);
            for (int i = 0; i < n; i++) {
                out.writeByte(s.charAt(i));
            }
        } else {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            writeVarInt(out, (b.length << 1) | 1);
            out.write(b);
        }
    }

    public static String readString(DataInputView in) throws IOException {
        int h = readVarInt(in);
        byte[] b = new byte[h >>> 1];
        in.readFully(b);
        return new String(b, (h & 1) == 0 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    public static void writeVarInt(DataOutputView out, int v) throws IOException {
        while ((v & ~0x7F) != 0) {
            out.writeByte((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.writeByte(v);
    }

    public static int readVarInt(DataInputView in) throws IOException {
        int v = 0;
        for (int shift = 0; ; shift += 7) {
            int b = in.readUnsignedByte();
            v |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
    }

    /** Zig-zag, variable length: small differences of either sign take few bytes. */
    public static void writeVarLong(DataOutputView out, long v) throws IOException {
        long z = (v << 1) ^ (v >> 63);
        while ((z & ~0x7FL) != 0) {
            out.writeByte((int) ((z & 0x7F) | 0x80));
            z >>>= 7;
        }
        out.writeByte((int) z);
    }

    public static long readVarLong(DataInputView in) throws IOException {
        long z = 0;
        for (int shift = 0; ; shift += 7) {
            int b = in.readUnsignedByte();
            z |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return (z >>> 1) ^ -(z & 1);
            }
        }
    }

    /** Unsigned, variable length: 7 bits a byte. */
    public static void writeVarULong(DataOutputView out, long v) throws IOException {
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    public static long readVarULong(DataInputView in) throws IOException {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            int b = in.readUnsignedByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
    }

    /**
     * A difference of two epoch-millisecond times, in whole seconds when it is one: durations from configuration
     * (an abandonment or retention deadline after a scan) then take 3 bytes instead of 5. Any long round-trips.
     */
    public static void writeMillisDiff(DataOutputView out, long d) throws IOException {
        if (d % 1000 == 0) {
            writeVarULong(out, zigZag(d / 1000) << 1); // even
            return;
        }
        long z = zigZag(d);
        if (z >>> 62 == 0) {
            writeVarULong(out, (z << 1) | 1); // odd and at least 3, since d is not 0
        } else {
            writeVarULong(out, 1); // too far for the tag bit: the whole value follows
            out.writeLong(d);
        }
    }

    public static long readMillisDiff(DataInputView in) throws IOException {
        long u = readVarULong(in);
        if (u == 1) {
            return in.readLong();
        }
        long v = unZigZag(u >>> 1);
        return (u & 1) == 0 ? v * 1000 : v;
    }

    private static long zigZag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unZigZag(long z) {
        return (z >>> 1) ^ -(z & 1);
    }
}
