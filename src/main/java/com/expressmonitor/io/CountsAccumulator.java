package com.expressmonitor.io;

import org.apache.flink.api.common.accumulators.Accumulator;

import java.util.Map;
import java.util.TreeMap;

/**
 * Counts per name (a reason, an input partition), summed over the subtasks; the console output uses it to report
 * dead letters and late events as counts at the end of a run instead of a line each.
 */
public final class CountsAccumulator implements Accumulator<String, TreeMap<String, Long>> {
    private static final long serialVersionUID = 1L;

    private TreeMap<String, Long> counts = new TreeMap<>();

    @Override
    public void add(String name) {
        counts.merge(name, 1L, Long::sum);
    }

    @Override
    public TreeMap<String, Long> getLocalValue() {
        return counts;
    }

    @Override
    public void resetLocal() {
        counts = new TreeMap<>();
    }

    @Override
    public void merge(Accumulator<String, TreeMap<String, Long>> other) {
        for (Map.Entry<String, Long> e : other.getLocalValue().entrySet()) {
            counts.merge(e.getKey(), e.getValue(), Long::sum);
        }
    }

    @Override
    public CountsAccumulator clone() {
        CountsAccumulator c = new CountsAccumulator();
        c.counts = new TreeMap<>(counts);
        return c;
    }
}
