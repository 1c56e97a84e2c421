package com.expressmonitor.generator;

import org.apache.flink.api.connector.source.lib.util.IteratorSourceSplit;

import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * One share of the simulated traffic and how many of its records were already emitted; restoring generates the
 * share again from its seed and skips those.
 */
public record GeneratorSplit(NetworkModel network, int index, int count, long seed, long parcels, String day,
        int offsetSeconds, long emitted)
        implements IteratorSourceSplit<byte[], GeneratorSplit.Records> {

    @Override
    public String splitId() {
        return "generator-" + index;
    }

    @Override
    public Records getIterator() {
        TrafficSimulator sim = new TrafficSimulator(network, LocalDate.parse(day),
                ZoneOffset.ofTotalSeconds(offsetSeconds), parcels, seed, index, count);
        Records r = new Records(sim, emitted);
        for (long i = 0; i < emitted && sim.hasNext(); i++) {
            sim.next();
        }
        return r;
    }

    @Override
    public IteratorSourceSplit<byte[], Records> getUpdatedSplitForIterator(Records iterator) {
        return new GeneratorSplit(network, index, count, seed, parcels, day, offsetSeconds, iterator.position);
    }

    /** The simulator's records, counting how many were taken. */
    public static final class Records implements java.util.Iterator<byte[]> {
        private final TrafficSimulator sim;
        long position;

        Records(TrafficSimulator sim, long position) {
            this.sim = sim;
            this.position = position;
        }

        @Override
        public boolean hasNext() {
            return sim.hasNext();
        }

        @Override
        public byte[] next() {
            position++;
            return sim.next();
        }
    }
}
