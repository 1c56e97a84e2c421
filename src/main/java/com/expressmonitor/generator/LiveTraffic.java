package com.expressmonitor.generator;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Simulated traffic that follows the clock, day after day: the scans of a simulated network in report-time order,
 * each with an event time near the moment it is due, for a live stack ({@code jobs/generate-to-kafka.sh --live}).
 *
 * <p>The first simulated day starts {@code hoursBeforeNow} before now, so the network is already busy: the scans of
 * those hours are due at once (the day so far, as a topic would already hold them), the rest as the clock reaches
 * them. Each further day starts 24 hours after the one before, with its own seed and waybill numbers, and runs
 * alongside the parcels of the day before that are still on their way.
 */
public final class LiveTraffic implements Iterator<byte[]> {
    private static final long DAY = 86_400_000L;
    /** Waybill numbers of day k start at k times this, so that no two days share a waybill. */
    private static final long WAYBILLS_PER_DAY = 100_000_000L;

    private final NetworkModel network;
    private final ZoneOffset offset;
    private final long parcelsPerDay;
    private final long seed;
    private final long firstDayStart;
    private final List<TrafficSimulator> days = new ArrayList<>();
    private int started;

    public LiveTraffic(NetworkModel network, ZoneOffset offset, long parcelsPerDay, long seed, long now,
            int hoursBeforeNow) {
        if (parcelsPerDay < 1 || parcelsPerDay >= WAYBILLS_PER_DAY) {
            throw new IllegalArgumentException("parcels per day must be between 1 and " + (WAYBILLS_PER_DAY - 1));
        }
        this.network = network;
        this.offset = offset;
        this.parcelsPerDay = parcelsPerDay;
        this.seed = seed;
        this.firstDayStart = (now - hoursBeforeNow * 3_600_000L) / 1000 * 1000;
        startDay();
    }

    /** When the first simulated day started. */
    public long firstDayStart() {
        return firstDayStart;
    }

    private void startDay() {
        days.add(new TrafficSimulator(network, firstDayStart + started * DAY, offset, parcelsPerDay, seed + started, 0,
                1, started * WAYBILLS_PER_DAY));
        started++;
    }

    /** The simulated day with the earliest next record, after starting the next day once its time has come. */
    private TrafficSimulator earliest() {
        while (true) {
            TrafficSimulator best = null;
            for (TrafficSimulator d : days) {
                if (d.hasNext() && (best == null || d.nextReportTime() < best.nextReportTime())) {
                    best = d;
                }
            }
            long nextDayStart = firstDayStart + started * DAY;
            if (best != null && best.nextReportTime() < nextDayStart) {
                days.removeIf(d -> !d.hasNext());
                return best;
            }
            startDay(); // its scans are all at or after its start, so it may come first
        }
    }

    @Override
    public boolean hasNext() {
        return true; // one day follows the other
    }

    /** When the next record is due. */
    public long nextReportTime() {
        return earliest().nextReportTime();
    }

    @Override
    public byte[] next() {
        TrafficSimulator d = earliest();
        if (!d.hasNext()) {
            throw new NoSuchElementException();
        }
        return d.next();
    }
}
