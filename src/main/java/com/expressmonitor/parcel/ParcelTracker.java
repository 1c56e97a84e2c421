package com.expressmonitor.parcel;

import com.expressmonitor.accounting.CheckpointedCounts;
import com.expressmonitor.config.LocalTimes;
import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.district.DistrictDelta;
import com.expressmonitor.event.FacilityType;
import com.expressmonitor.event.ScanEvent;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.BooleanSerializer;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.io.IOException;
import java.util.List;

/**
 * Follows one parcel (keyed by waybill): removes duplicates, applies its scans in event-time order, opens and closes
 * stays (implicit departures, abandonment) and emits the resulting changes to district figures.
 *
 * <p>Scans wait in state until the watermark passes their time, because an earlier scan of the same parcel may still
 * arrive; everything that decides an outcome (duplicate, abandonment, state expiry) is then done in event-time order,
 * so the result does not depend on when watermarks arrive. One timer per parcel is kept: the earliest of the next
 * pending scan, the abandonment of the open stay and the expiry of the state. When the state expires it is cleared
 * and no timer is left.
 */
public class ParcelTracker extends KeyedProcessFunction<String, ScanEvent, DistrictDelta> {
    private static final long serialVersionUID = 1L;
    private static final long NONE = Long.MIN_VALUE;

    public static final String ACC_COUNTED = "counted";
    public static final String ACC_DUPLICATES = "duplicates";
    /**
     * Counted event ids kept in the parcel's value; further ones go to a map state, so that a parcel scanned very
     * often (a scanner stuck in a loop, a test parcel) costs the same per scan as any other: one bounded value read
     * and written, and one lookup, instead of a value that grows with every scan and is rewritten whole each time.
     */
    static final int INLINE_SEEN = 16;
    /** The name of the parcels' value state (the tracker's operator iterates its keys at the end of the input). */
    static final String STATE_NAME = "parcel";

    private final long windowSize;
    private final int zoneOffsetSeconds;
    private final long abandonAfter;
    private final long retentionAfterDelivery;
    private final long[] sla;

    private transient ValueState<ParcelState> state;
    /** The parcel's counted event ids beyond the first {@link #INLINE_SEEN} (hash to nothing: a set). */
    private transient MapState<Long, Boolean> seenOverflow;
    private transient LongCounter countedAcc;
    private transient LongCounter duplicatesAcc;
    private transient Counter countedMetric;
    private transient Counter duplicatesMetric;
    private transient Counter abandonedMetric;
    /**
     * Parcels whose state this subtask holds (up and down as state is created and cleared, restored with the counts;
     * after a rescale each subtask's figure is off, their sum is right).
     */
    private transient Counter parcelsMetric;

    public ParcelTracker(MonitorConfig config) {
        this.windowSize = config.windowSizeMillis();
        this.zoneOffsetSeconds = config.zoneOffsetSeconds();
        this.abandonAfter = config.abandonAfterMillis();
        this.retentionAfterDelivery = config.retentionAfterDeliveryMillis();
        this.sla = config.slaMillis().clone();
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>(STATE_NAME, ParcelStateSerializer.INSTANCE));
        seenOverflow = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("seen-overflow", LongSerializer.INSTANCE, BooleanSerializer.INSTANCE));
        countedAcc = new LongCounter();
        duplicatesAcc = new LongCounter();
        getRuntimeContext().addAccumulator(ACC_COUNTED, countedAcc);
        getRuntimeContext().addAccumulator(ACC_DUPLICATES, duplicatesAcc);
        var group = getRuntimeContext().getMetricGroup().addGroup("expressMonitor");
        countedMetric = group.counter("scansCounted");
        duplicatesMetric = group.counter("duplicates");
        abandonedMetric = group.counter("staysAbandoned");
        parcelsMetric = group.counter("parcelsInState");
    }

    /**
     * This subtask's counts as the operator checkpoints them: {counted, duplicates, stays abandoned, parcels in
     * state}; {@link #restoreCounts} starts the accumulators and metrics from them after a restart.
     */
    static final int COUNTS = 4;

    long[] counts() {
        return new long[] {countedAcc.getLocalValue(), duplicatesAcc.getLocalValue(), abandonedMetric.getCount(),
            parcelsMetric.getCount()};
    }

    /** Goes on from the counts restored from a checkpoint; after open(). */
    void restoreCounts(CheckpointedCounts restored) {
        countedAcc.add(restored.restored(0));
        countedMetric.inc(restored.restored(0));
        duplicatesAcc.add(restored.restored(1));
        duplicatesMetric.inc(restored.restored(1));
        abandonedMetric.inc(restored.restored(2));
        parcelsMetric.inc(restored.restored(3));
    }

    @Override
    public void processElement(ScanEvent event, Context ctx, Collector<DistrictDelta> out) throws Exception {
        hold(event, ctx.timerService());
    }

    @Override
    public void onTimer(long time, OnTimerContext ctx, Collector<DistrictDelta> out) throws Exception {
        fire(time, ctx.timerService(), out);
    }

    /** Keeps a scan in the parcel's state until the watermark passes it, with a timer at its time. */
    void hold(ScanEvent event, TimerService timers) throws IOException {
        ParcelState s = load();
        holdLoaded(s, event, timers);
        storeHeld(s);
    }

    /** Adds a scan to a loaded parcel's pending ones, with a timer at its time; {@link #storeHeld} writes it. */
    void holdLoaded(ParcelState s, ScanEvent event, TimerService timers) {
        insertInOrder(s.pending, event);
        schedule(s, timers, event.eventTime());
    }

    void storeHeld(ParcelState s) throws IOException {
        state.update(s);
    }

    /**
     * Applies a scan that the watermark has already passed (the buffering operator's path): everything of the
     * parcel due up to the scan's time, in order, then the scan; one state read and one write, and a timer only
     * when the parcel's next abandonment or expiry comes earlier than the one already set.
     */
    void applyPassed(ScanEvent event, TimerService timers, Collector<DistrictDelta> out) throws Exception {
        ParcelState s = load();
        applyLoaded(s, event, out);
        store(s, timers);
    }

    /** The current parcel's state, or a new one; with {@link #applyLoaded} and {@link #store}, one read and one write. */
    ParcelState load() throws IOException {
        ParcelState s = state.value();
        if (s == null) {
            s = new ParcelState();
            parcelsMetric.inc();
        }
        return s;
    }

    /** Applies a passed scan to a loaded parcel: what is due up to its time, in order, then the scan. */
    void applyLoaded(ParcelState s, ScanEvent event, Collector<DistrictDelta> out) throws Exception {
        insertInOrder(s.pending, event);
        advance(s, event.eventTime(), out);
    }

    /** Writes the loaded parcel back (or drops it when nothing is left) and keeps its one timer right. */
    void store(ParcelState s, TimerService timers) throws IOException {
        settle(s, timers);
    }

    /** The parcel's timer: applies what is due at {@code time} and sets the next timer, or drops the state. */
    void fire(long time, TimerService timers, Collector<DistrictDelta> out) throws Exception {
        ParcelState s = state.value();
        if (s == null) {
            return;
        }
        s.timer = NONE;
        advance(s, time, out);
        settle(s, timers);
    }

    private void settle(ParcelState s, TimerService timers) throws IOException {
        if (s.isEmpty()) {
            if (s.timer != NONE) {
                timers.deleteEventTimeTimer(s.timer);
            }
            state.clear();
            parcelsMetric.dec();
            return;
        }
        long next = Math.min(s.pending.isEmpty() ? Long.MAX_VALUE : s.pending.get(0).eventTime(),
                Math.min(abandonAt(s), expiresAt(s)));
        schedule(s, timers, next);
        state.update(s);
    }

    /** Applies, in order, every abandonment, expiry and pending scan due at or before {@code time}. */
    void advance(ParcelState s, long time, Collector<DistrictDelta> out) throws Exception {
        while (true) {
            long abandon = abandonAt(s);
            long expiry = expiresAt(s);
            long nextScan = s.pending.isEmpty() ? Long.MAX_VALUE : s.pending.get(0).eventTime();
            long t = Math.min(abandon, Math.min(expiry, nextScan));
            if (t > time || t == Long.MAX_VALUE) {
                return;
            }
            if (abandon == t) {
                // A scan at exactly open + abandon-after is applied after the abandonment (SPEC §3).
                abandonedMetric.inc();
                closeStay(s, t, true, out);
            } else if (expiry == t) {
                forget(s);
            } else {
                apply(s, s.pending.remove(0), out);
            }
        }
    }

    private void apply(ParcelState s, ScanEvent e, Collector<DistrictDelta> out) throws Exception {
        long h = EventIdHash.of(e.eventId());
        if (seenBefore(s, h)) {
            duplicatesAcc.add(1);
            duplicatesMetric.inc();
            return;
        }
        if (s.seen.length < INLINE_SEEN) {
            long[] seen = java.util.Arrays.copyOf(s.seen, s.seen.length + 1);
            seen[s.seen.length] = h;
            s.seen = seen;
        } else {
            seenOverflow.put(h, Boolean.TRUE);
            s.seenOverflow = true;
        }
        countedAcc.add(1);
        countedMetric.inc();
        long t = e.eventTime();
        s.lastScan = t;
        switch (e.scanType()) {
            case COLLECTED, ARRIVED -> {
                if (s.hasStay() && s.stayFacility.equals(e.facilityId())) {
                    return; // already inside this facility
                }
                if (s.hasStay()) {
                    closeStay(s, t, false, out); // implicit departure: the departure scan was missed
                }
                openStay(s, e, out);
            }
            case DEPARTED, OUT_FOR_DELIVERY -> {
                if (s.hasStay()) {
                    closeStay(s, t, false, out);
                }
            }
            case DELIVERED -> {
                if (s.hasStay()) {
                    closeStay(s, t, false, out);
                }
                DistrictDelta d = new DistrictDelta(DistrictDelta.key(e.districtCode(), e.facilityType()), windowEnd(t));
                d.deliveries = 1;
                out.collect(d);
                s.deliveredAt = t;
            }
            case EXCEPTION -> {
                DistrictDelta d = new DistrictDelta(DistrictDelta.key(e.districtCode(), e.facilityType()), windowEnd(t));
                d.exceptions = 1;
                out.collect(d);
            }
        }
    }

    private void openStay(ParcelState s, ScanEvent e, Collector<DistrictDelta> out) {
        long t = e.eventTime();
        s.stayKey = DistrictDelta.key(e.districtCode(), e.facilityType());
        s.stayFacility = e.facilityId();
        s.stayType = e.facilityType();
        s.stayOpen = t;
        // A parcel that comes back into the network after delivery is followed again, not dropped under it.
        s.deliveredAt = NONE;
        long end = windowEnd(t);
        long stuckFrom = stuckFrom(t, e.facilityType());
        DistrictDelta d = new DistrictDelta(s.stayKey, end);
        d.arrivals = 1;
        d.backlog = 1;
        if (stuckFrom == end) {
            d.stuck = 1;
            out.collect(d);
        } else {
            out.collect(d);
            DistrictDelta st = new DistrictDelta(s.stayKey, stuckFrom);
            st.stuck = 1;
            out.collect(st);
        }
    }

    /**
     * Closes the open stay at {@code t}. The stay leaves the backlog from the window containing {@code t} on (a stay
     * closed exactly at a window's end still counts there), and stops being stuck from the later of that window
     * and the first window in which it was stuck, which cancels a stuck mark that never took effect.
     */
    private void closeStay(ParcelState s, long t, boolean abandoned, Collector<DistrictDelta> out) {
        long end = windowEnd(t);
        long stuckUntil = Math.max(stuckFrom(s.stayOpen, s.stayType), end);
        DistrictDelta d = new DistrictDelta(s.stayKey, end);
        d.departures = abandoned ? 0 : 1;
        d.backlog = -1;
        if (stuckUntil == end) {
            d.stuck = -1;
            out.collect(d);
        } else {
            out.collect(d);
            DistrictDelta st = new DistrictDelta(s.stayKey, stuckUntil);
            st.stuck = -1;
            out.collect(st);
        }
        s.stayKey = null;
        s.stayFacility = null;
        s.stayType = null;
        s.stayOpen = 0;
    }

    /** Whether the event id's hash was counted for this parcel: first in its value, then, if any, in the map. */
    private boolean seenBefore(ParcelState s, long h) throws Exception {
        for (long seen : s.seen) {
            if (seen == h) {
                return true;
            }
        }
        return s.seenOverflow && seenOverflow.contains(h);
    }

    /** Drops what is known of the parcel (its stay is already closed); scans still pending are kept. */
    private void forget(ParcelState s) {
        s.seen = new long[0];
        if (s.seenOverflow) {
            seenOverflow.clear();
            s.seenOverflow = false;
        }
        s.lastScan = NONE;
        s.deliveredAt = NONE;
    }

    private long abandonAt(ParcelState s) {
        return s.hasStay() ? s.stayOpen + abandonAfter : Long.MAX_VALUE;
    }

    /** When the parcel's state is dropped: after retention from delivery, or after abandon-after without scans. */
    private long expiresAt(ParcelState s) {
        if (s.lastScan == NONE) {
            return Long.MAX_VALUE;
        }
        long idle = s.lastScan + abandonAfter;
        return s.deliveredAt == NONE ? idle : Math.min(idle, s.deliveredAt + retentionAfterDelivery);
    }

    private long windowEnd(long t) {
        return LocalTimes.windowEnd(t, windowSize, zoneOffsetSeconds);
    }

    /** The first window end at which a stay opened at {@code open} counts as stuck ({@code end - open >= sla}). */
    private long stuckFrom(long open, FacilityType type) {
        return LocalTimes.windowEnd(open + sla[type.ordinal()] - 1, windowSize, zoneOffsetSeconds);
    }

    private static void schedule(ParcelState s, TimerService timers, long time) {
        if (s.timer == NONE || time < s.timer) {
            if (s.timer != NONE) {
                timers.deleteEventTimeTimer(s.timer);
            }
            timers.registerEventTimeTimer(time);
            s.timer = time;
        }
    }

    private static void insertInOrder(List<ScanEvent> pending, ScanEvent e) {
        int i = pending.size();
        while (i > 0 && ScanEvent.compareForApplication(pending.get(i - 1), e) > 0) {
            i--;
        }
        pending.add(i, e);
    }
}
