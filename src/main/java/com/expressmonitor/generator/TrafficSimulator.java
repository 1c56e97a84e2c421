package com.expressmonitor.generator;

import com.expressmonitor.event.FacilityType;
import com.expressmonitor.event.ScanEvent;
import com.expressmonitor.event.ScanType;
import com.expressmonitor.io.OutputJson;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Simulates one share of a day's parcels moving through the network and yields their scans as input records
 * (JSON bytes), roughly in event-time order, the way handhelds and sorters would report them.
 *
 * <p>Parcels are collected along a diurnal curve with a Double-11 evening surge; each goes collection station,
 * origin sorting center, destination sorting center, delivery station, courier, customer. The congested district's
 * sorting center slows down during the surge, so its backlog climbs and then drains. A few departure scans are
 * missed (implicit departures), a few scans are exceptions, and a small, fixed share of records are re-sent
 * (duplicates), delayed past the watermark (late) or garbled (dead letters). Everything follows from the seed, so a
 * split can be restored by generating again and skipping what was already emitted.
 */
public final class TrafficSimulator implements Iterator<byte[]> {
    private static final long MINUTE = 60_000L;
    private static final long HOUR = 3_600_000L;
    private static final String[] CARRIERS = {"ZTO", "YTO", "YD", "STO", "SF", "JD", "EMS"};
    private static final int[] CARRIER_WEIGHTS = {24, 20, 18, 14, 10, 8, 6};

    private final NetworkModel network;
    private final long dayStart;
    private final long parcels;
    private final int split;
    private final int splits;
    private final SplittableRandom random;
    private final double[] cumulativeWeights;
    private final OutputJson json;
    private final long firstWaybill;

    /** Scans waiting to be reported, by report time. */
    private final ReportQueue queue = new ReportQueue();
    private long nextParcel;
    private long nextCollection;

    public TrafficSimulator(NetworkModel network, LocalDate day, ZoneOffset offset, long parcels, long seed,
            int split, int splits) {
        this(network, day.atStartOfDay().toInstant(offset).toEpochMilli(), offset, parcels, seed, split, splits, 0);
    }

    /**
     * A simulated day that starts at any instant rather than at local midnight (the live generator starts it some
     * hours before now, so that the network is busy when the clock reaches the scans, and chains days).
     *
     * @param firstWaybill added to every parcel's number, so that the waybills of consecutive days differ
     */
    public TrafficSimulator(NetworkModel network, long dayStartMillis, ZoneOffset offset, long parcels, long seed,
            int split, int splits, long firstWaybill) {
        this.network = network;
        this.firstWaybill = firstWaybill;
        this.json = new OutputJson(offset.getTotalSeconds());
        this.dayStart = dayStartMillis;
        this.parcels = parcels;
        this.split = split;
        this.splits = splits;
        this.random = new SplittableRandom(seed * 31 + split);
        this.cumulativeWeights = new double[network.districts().size()];
        double sum = 0;
        for (int i = 0; i < cumulativeWeights.length; i++) {
            sum += network.districts().get(i).weight();
            cumulativeWeights[i] = sum;
        }
        this.nextParcel = split;
        this.nextCollection = collectionTime(nextParcel);
    }

    /**
     * Collection time of parcel {@code i}: the day's parcels spread over a diurnal curve (quiet at night, busy late
     * morning, and the Double-11 surge in the evening), inverted so that parcel numbers map to times in order.
     */
    long collectionTime(long i) {
        double u = (i + 0.5) / parcels;
        // Cumulative share of the day's collections by hour (index = hour), from a diurnal curve with an evening surge.
        double[] weights = {0.6, 0.4, 0.3, 0.3, 0.3, 0.5, 1.0, 2.0, 3.5, 4.5, 5.0, 5.0, 4.0, 4.0, 4.5, 4.5, 4.5, 5.0,
            6.5, 9.0, 11.0, 10.0, 6.0, 2.0};
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double target = u * total;
        double acc = 0;
        for (int h = 0; h < 24; h++) {
            if (acc + weights[h] >= target) {
                double within = (target - acc) / weights[h];
                return dayStart + h * HOUR + (long) (within * HOUR);
            }
            acc += weights[h];
        }
        return dayStart + 24 * HOUR - 1;
    }

    @Override
    public boolean hasNext() {
        fill();
        return !queue.isEmpty();
    }

    /** When the next record is reported (its scan's time plus the handheld's upload delay); call after hasNext. */
    public long nextReportTime() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return queue.peekTime();
    }

    @Override
    public byte[] next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return queue.poll();
    }

    /** Routes new parcels until every scan due before the next collection is queued. */
    private void fill() {
        while (nextParcel < parcels && (queue.isEmpty() || queue.peekTime() >= nextCollection)) {
            route(nextParcel, nextCollection);
            nextParcel += splits;
            nextCollection = nextParcel < parcels ? collectionTime(nextParcel) : Long.MAX_VALUE;
        }
    }

    private void route(long parcel, long collected) {
        long number = firstWaybill + parcel;
        String waybill = String.format("%s%012d", carrier(number), number);
        String carrier = waybill.substring(0, waybill.length() - 12);
        NetworkModel.District from = pickDistrict();
        NetworkModel.District to = random.nextInt(100) < 30 ? from : pickDistrict();
        String origin = from.station(random.nextInt(from.stations()));
        String destination = to.station(random.nextInt(to.stations()));
        long t = collected;
        List<ScanEvent> scans = new ArrayList<>(10);
        scans.add(scan(waybill, 1, ScanType.COLLECTED, origin, FacilityType.STATION, from, carrier, t));
        t += minutes(30, 150);
        boolean missDeparture = random.nextInt(100) < 3;
        if (!missDeparture) {
            scans.add(scan(waybill, 2, ScanType.DEPARTED, origin, FacilityType.STATION, from, carrier, t));
        }
        t += minutes(20, 90);
        scans.add(scan(waybill, 3, ScanType.ARRIVED, from.sortingCenter(), FacilityType.SORTING_CENTER, from, carrier, t));
        t += sortingTime(from, t);
        scans.add(scan(waybill, 4, ScanType.DEPARTED, from.sortingCenter(), FacilityType.SORTING_CENTER, from, carrier, t));
        if (to != from) {
            t += minutes(120, 480);
            scans.add(scan(waybill, 5, ScanType.ARRIVED, to.sortingCenter(), FacilityType.SORTING_CENTER, to, carrier, t));
            t += sortingTime(to, t);
            scans.add(scan(waybill, 6, ScanType.DEPARTED, to.sortingCenter(), FacilityType.SORTING_CENTER, to, carrier, t));
        }
        t += minutes(40, 120);
        scans.add(scan(waybill, 7, ScanType.ARRIVED, destination, FacilityType.STATION, to, carrier, t));
        if (random.nextInt(100) < 2) {
            t += minutes(10, 60);
            scans.add(scan(waybill, 8, ScanType.EXCEPTION, destination, FacilityType.STATION, to, carrier, t));
        }
        t += minutes(30, 240);
        scans.add(scan(waybill, 9, ScanType.OUT_FOR_DELIVERY, destination, FacilityType.STATION, to, carrier, t));
        t += minutes(20, 180);
        scans.add(scan(waybill, 10, ScanType.DELIVERED, destination, FacilityType.STATION, to, carrier, t));

        for (ScanEvent s : scans) {
            // Handhelds upload in batches: a scan reaches the network up to 90 s after it happened.
            long report = s.eventTime() + random.nextLong(90_000L);
            int fate = random.nextInt(100_000);
            if (fate < 5) {
                report += 20 * MINUTE; // an offline handheld: arrives after the watermark, so it is late
            }
            enqueue(report, json.scan(s));
            if (fate >= 5 && fate < 105) {
                enqueue(report + random.nextLong(60_000L), json.scan(s)); // re-sent: a duplicate
            } else if (fate >= 105 && fate < 115) {
                enqueue(report, garble(json.scan(s), fate));
            }
        }
    }

    /** Sorting takes 1-3 h; in the congested district's center it takes up to 14 h during the evening surge. */
    private long sortingTime(NetworkModel.District d, long arrival) {
        long hourOfDay = Math.floorMod(arrival - dayStart, 24 * HOUR) / HOUR;
        boolean surge = arrival - dayStart < 24 * HOUR && hourOfDay >= 17 && hourOfDay <= 22;
        if (d.code().equals(network.congestedDistrict()) && surge) {
            return minutes(240, 840);
        }
        return minutes(60, 180);
    }

    private byte[] garble(byte[] json, int fate) {
        String s = new String(json, StandardCharsets.UTF_8);
        return switch (fate % 3) {
            case 0 -> s.substring(0, s.length() / 2).getBytes(StandardCharsets.UTF_8); // cut off in transit
            case 1 -> s.replace("\"waybillNo\":\"", "\"waybillNo\":\"#").getBytes(StandardCharsets.UTF_8);
            default -> s.replaceFirst(",\"eventTime\":\"[^\"]*\"", "").getBytes(StandardCharsets.UTF_8);
        };
    }

    private void enqueue(long reportAt, byte[] record) {
        queue.add(reportAt, record);
    }

    private ScanEvent scan(String waybill, int step, ScanType type, String facility, FacilityType facilityType,
            NetworkModel.District district, String carrier, long time) {
        return new ScanEvent(waybill + "-" + step, waybill, type, facility, facilityType, district.code(), carrier, time);
    }

    private long minutes(int min, int max) {
        return (min + random.nextInt(max - min + 1)) * MINUTE + random.nextInt(60) * 1000L;
    }

    private NetworkModel.District pickDistrict() {
        double r = random.nextDouble() * cumulativeWeights[cumulativeWeights.length - 1];
        for (int i = 0; i < cumulativeWeights.length; i++) {
            if (r < cumulativeWeights[i]) {
                return network.districts().get(i);
            }
        }
        return network.districts().get(cumulativeWeights.length - 1);
    }

    private static String carrier(long parcel) {
        long r = Math.floorMod(parcel * 2_654_435_761L, 100);
        int acc = 0;
        for (int i = 0; i < CARRIERS.length; i++) {
            acc += CARRIER_WEIGHTS[i];
            if (r < acc) {
                return CARRIERS[i];
            }
        }
        return CARRIERS[0];
    }
}
