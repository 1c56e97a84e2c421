package com.expressmonitor.event;

/**
 * Sums the counts operators checkpoint as one {@code long[]} per subtask: after a change of parallelism a subtask
 * may get several entries, or none, and each entry reaches exactly one subtask, so the sums over subtasks stay
 * exact.
 */
public final class Counts {
    private Counts() {}

    /** The element-wise sum of {@code entries}, each of {@code width} counts (an older, shorter entry adds zeros). */
    public static long[] sum(Iterable<long[]> entries, int width) {
        long[] sum = new long[width];
        if (entries == null) {
            return sum;
        }
        for (long[] e : entries) {
            for (int i = 0; i < Math.min(width, e.length); i++) {
                sum[i] += e[i];
            }
        }
        return sum;
    }
}
