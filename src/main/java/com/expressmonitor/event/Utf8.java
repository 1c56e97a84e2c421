package com.expressmonitor.event;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Strict UTF-8 checks, so that "not UTF-8 text" is decided the same way for every record. */
public final class Utf8 {
    private Utf8() {}

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** True when {@code b[off, off+len)} is well-formed UTF-8 (no overlong forms, surrogates or values past U+10FFFF). */
    public static boolean isValid(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            // Scan records are mostly ASCII: eight bytes at a time while none has its high bit set.
            while (i + 8 <= end && ((long) LONGS.get(b, i) & 0x8080_8080_8080_8080L) == 0) {
                i += 8;
            }
            if (i >= end) {
                break;
            }
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int n;
            int min;
            if (c >= 0xC2 && c <= 0xDF) {
                n = 1;
                min = 0x80;
                c &= 0x1F;
            } else if (c >= 0xE0 && c <= 0xEF) {
                n = 2;
                min = 0x800;
                c &= 0x0F;
            } else if (c >= 0xF0 && c <= 0xF4) {
                n = 3;
                min = 0x10000;
                c &= 0x07;
            } else {
                return false;
            }
            if (i + n >= end) {
                return false; // truncated sequence
            }
            for (int k = 1; k <= n; k++) {
                int cc = b[i + k] & 0xFF;
                if ((cc & 0xC0) != 0x80) {
                    return false;
                }
                c = (c << 6) | (cc & 0x3F);
            }
            if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
                return false;
            }
            i += n + 1;
        }
        return true;
    }

    public static boolean isValid(byte[] b) {
        return isValid(b, 0, b.length);
    }

    /** The original record as dead-letter text: the string itself when UTF-8, else base64. */
    public static String rawText(byte[] raw) {
        return isValid(raw) ? new String(raw, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(raw);
    }
}
