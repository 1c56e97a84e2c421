package com.expressmonitor.generator;

import java.util.ArrayList;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * The simulator's records waiting to be reported, taken out by report time, records of the same time in the order
 * they were added: the order of one priority queue over all of them, at a fraction of its cost.
 *
 * <p>Why not one priority queue: the simulator queues every scan of a parcel when the parcel is collected, so it
 * holds most of a day's records at once (millions); each removal then walks some twenty levels of a heap spread over
 * a gigabyte, a cache miss at each. Here only the records of the current minute of report time are in a heap (a few
 * thousand at the busiest hour); later ones wait in lists by minute and come into the heap a minute at a time.
 */
final class ReportQueue {
    private static final long BUCKET = 60_000L;

    private record Pending(long reportAt, long seq, byte[] record) implements Comparable<Pending> {
        @Override
        public int compareTo(Pending o) {
            int c = Long.compare(reportAt, o.reportAt);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    /** Every record of minute {@link #nearMinute} or earlier. */
    private PriorityQueue<Pending> near = new PriorityQueue<>();
    /** Records of later minutes, by minute, in the order they came. */
    private final TreeMap<Long, ArrayList<Pending>> far = new TreeMap<>();
    private long nearMinute = Long.MIN_VALUE;
    /** Added so far: orders records of the same report time. */
    private long added;

    void add(long reportAt, byte[] record) {
        Pending p = new Pending(reportAt, added++, record);
        long minute = Math.floorDiv(reportAt, BUCKET);
        if (minute <= nearMinute) {
            near.add(p);
        } else {
            far.computeIfAbsent(minute, k -> new ArrayList<>()).add(p);
        }
    }

    boolean isEmpty() {
        return near.isEmpty() && far.isEmpty();
    }

    /** The report time of the first record; the queue must not be empty. */
    long peekTime() {
        return first().peek().reportAt;
    }

    /** Takes out the first record; the queue must not be empty. */
    byte[] poll() {
        return first().poll().record;
    }

    /** The heap, holding the first record: the next minute's records come into it when it is empty. */
    private PriorityQueue<Pending> first() {
        if (near.isEmpty()) {
            Map.Entry<Long, ArrayList<Pending>> next = far.pollFirstEntry();
            nearMinute = next.getKey();
            near = new PriorityQueue<>(next.getValue()); // heapified at once
        }
        return near;
    }
}
