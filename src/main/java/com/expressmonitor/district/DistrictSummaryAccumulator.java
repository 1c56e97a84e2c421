package com.expressmonitor.district;

import org.apache.flink.api.common.accumulators.Accumulator;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.OperatorStateStore;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects, per district and facility type, the figures of the end-of-run summary (throughput, peak backlog,
 * stuck parcels, alerts by level); Flink returns it to the client with the job's result.
 */
public class DistrictSummaryAccumulator implements Accumulator<DistrictMetrics, TreeMap<String, DistrictSummaryAccumulator.Totals>> {
    private static final long serialVersionUID = 1L;

    private TreeMap<String, Totals> totals = new TreeMap<>();
    /** Where the operator that holds this accumulator checkpoints its figures ({@link #initialize}). */
    private transient ListState<Totals> checkpointed;

    /** The figures of one district and facility type over the run. */
    public static class Totals implements Serializable {
        private static final long serialVersionUID = 1L;
        /** {@code DISTRICT/FACILITY_TYPE}; set in the entries of a checkpoint. */
        public String key;
        public String districtName;
        public long windows;
        public long arrivals;
        public long departures;
        public long deliveries;
        public long exceptions;
        public long peakBacklog;
        public long peakStuck;
        public long lastBacklog;
        public long lastWindowEnd = Long.MIN_VALUE;
        public long yellowAlerts;
        public long redAlerts;

        void merge(Totals o) {
            if (districtName == null) {
                districtName = o.districtName;
            }
            windows += o.windows;
            arrivals += o.arrivals;
            departures += o.departures;
            deliveries += o.deliveries;
            exceptions += o.exceptions;
            peakBacklog = Math.max(peakBacklog, o.peakBacklog);
            peakStuck = Math.max(peakStuck, o.peakStuck);
            if (o.lastWindowEnd > lastWindowEnd) {
                lastWindowEnd = o.lastWindowEnd;
                lastBacklog = o.lastBacklog;
            }
            yellowAlerts += o.yellowAlerts;
            redAlerts += o.redAlerts;
        }
    }

    @Override
    public void add(DistrictMetrics m) {
        Totals t = totals.computeIfAbsent(m.key(), k -> new Totals());
        t.districtName = m.districtName();
        t.windows++;
        t.arrivals += m.arrivals();
        t.departures += m.departures();
        t.deliveries += m.deliveries();
        t.exceptions += m.exceptions();
        t.peakBacklog = Math.max(t.peakBacklog, m.backlog());
        t.peakStuck = Math.max(t.peakStuck, m.stuck());
        if (m.windowEnd() > t.lastWindowEnd) {
            t.lastWindowEnd = m.windowEnd();
            t.lastBacklog = m.backlog();
        }
    }

    /** Counts an alert raised or escalated to yellow or red for {@code key} ({@code DISTRICT/FACILITY_TYPE}). */
    public void addRaised(String key, boolean red) {
        Totals t = totals.computeIfAbsent(key, k -> new Totals());
        if (red) {
            t.redAlerts++;
        } else {
            t.yellowAlerts++;
        }
    }

    /**
     * Keeps the figures in the operator's checkpoints under {@code name} and adds those restored, so that the run's
     * summary outlives a restart; call in the function's {@code initializeState}, then {@link #snapshot} in its
     * {@code snapshotState}. Entries are split among subtasks on a rescale, and figures of one key merge.
     */
    public void initialize(OperatorStateStore store, String name) throws Exception {
        checkpointed = store.getListState(new ListStateDescriptor<>(name, Totals.class));
        restore(checkpointed.get());
    }

    /** Checkpoints this subtask's figures (see {@link #initialize}). */
    public void snapshot() throws Exception {
        checkpointed.update(entries());
    }

    /** This subtask's figures as entries with their keys, to be checkpointed, so that they outlive a restart. */
    public List<Totals> entries() {
        List<Totals> entries = new ArrayList<>(totals.size());
        totals.forEach((key, t) -> {
            Totals e = new Totals();
            e.merge(t);
            e.key = key;
            entries.add(e);
        });
        return entries;
    }

    /** Adds the figures of checkpointed entries (of any subtask: figures of one key merge). */
    public void restore(Iterable<Totals> entries) {
        for (Totals e : entries) {
            totals.computeIfAbsent(e.key, k -> new Totals()).merge(e);
        }
    }

    @Override
    public TreeMap<String, Totals> getLocalValue() {
        return totals;
    }

    @Override
    public void resetLocal() {
        totals = new TreeMap<>();
    }

    @Override
    public void merge(Accumulator<DistrictMetrics, TreeMap<String, Totals>> other) {
        for (Map.Entry<String, Totals> e : other.getLocalValue().entrySet()) {
            totals.computeIfAbsent(e.getKey(), k -> new Totals()).merge(e.getValue());
        }
    }

    @Override
    public DistrictSummaryAccumulator clone() {
        DistrictSummaryAccumulator c = new DistrictSummaryAccumulator();
        c.merge(this);
        return c;
    }
}
