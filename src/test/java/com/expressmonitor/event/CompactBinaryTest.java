package com.expressmonitor.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** Time differences round-trip whatever their value, and whole seconds take fewer bytes. */
class CompactBinaryTest {
    private static int[] sizeAndCheck(long d) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(16);
        CompactBinary.writeMillisDiff(out, d);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        assertThat(CompactBinary.readMillisDiff(in)).as("round trip of %d", d).isEqualTo(d);
        assertThat(in.available()).isZero();
        return new int[] {out.length()};
    }

    @Test
    void millisDiffsRoundTrip() throws Exception {
        long[] values = {0, 1, -1, 999, 1000, -1000, 1001, 86_400_000L, -86_400_000L, 259_200_123L,
                Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE + 1, (1L << 61), -(1L << 61),
                (1L << 62) + 1, -(1L << 62) - 1, Long.MIN_VALUE / 1000 * 1000, Long.MAX_VALUE / 1000 * 1000};
        for (long v : values) {
            sizeAndCheck(v);
        }
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 100_000; i++) {
            long v = random.nextLong() >> random.nextInt(64);
            sizeAndCheck(v);
            sizeAndCheck(v / 1000 * 1000);
        }
    }

    @Test
    void wholeSecondsAreShort() throws Exception {
        assertThat(sizeAndCheck(0)[0]).isEqualTo(1);
        assertThat(sizeAndCheck(72 * 3_600_000L)[0]).isEqualTo(3); // 72 h
        assertThat(sizeAndCheck(72 * 3_600_000L + 1)[0]).isEqualTo(5);
        assertThat(sizeAndCheck(Long.MIN_VALUE + 1)[0]).isEqualTo(9);
    }
}
