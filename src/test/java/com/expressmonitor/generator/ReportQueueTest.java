package com.expressmonitor.generator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

class ReportQueueTest {
    /** The order one priority queue over (report time, order added) gives, which the simulator's output follows. */
    private record Ref(long reportAt, long seq) implements Comparable<Ref> {
        @Override
        public int compareTo(Ref o) {
            int c = Long.compare(reportAt, o.reportAt);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    @Test
    void takesRecordsOutByReportTimeThenInTheOrderAddedAsOnePriorityQueueWould() {
        SplittableRandom random = new SplittableRandom(7);
        ReportQueue queue = new ReportQueue();
        PriorityQueue<Ref> reference = new PriorityQueue<>();
        List<Long> got = new ArrayList<>();
        List<Long> expected = new ArrayList<>();
        long seq = 0;
        long now = 1_000_000L;
        for (int round = 0; round < 20_000; round++) {
            // Adds around the present: some before the minute being taken out (they must come out first), some
            // within it, most later; equal report times on purpose, which come out in the order added.
            for (int i = random.nextInt(4); i > 0; i--) {
                long at = now + random.nextLong(-90_000L, 3 * 3_600_000L) / 1000 * 1000;
                queue.add(at, Long.toString(seq).getBytes());
                reference.add(new Ref(at, seq));
                seq++;
            }
            for (int i = random.nextInt(4); i > 0 && !reference.isEmpty(); i--) {
                assertThat(queue.isEmpty()).isFalse();
                Ref next = reference.poll();
                assertThat(queue.peekTime()).isEqualTo(next.reportAt());
                expected.add(next.seq());
                got.add(Long.parseLong(new String(queue.poll())));
                now = Math.max(now, next.reportAt());
            }
        }
        while (!reference.isEmpty()) {
            expected.add(reference.poll().seq());
            got.add(Long.parseLong(new String(queue.poll())));
        }
        assertThat(queue.isEmpty()).isTrue();
        assertThat(got).hasSize((int) seq).isEqualTo(expected);
    }
}
