package com.expressmonitor.parcel;

import com.expressmonitor.event.FacilityType;
import com.expressmonitor.event.ScanEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything kept per parcel: scans waiting for the watermark, the ids already counted, the open stay and the
 * times that end the parcel's state. Kept in one value so that an event costs one state read and one write.
 */
public class ParcelState {
    /** Scans received but not applied yet, in application order (event time, scan type, event id). */
    public List<ScanEvent> pending = new ArrayList<>();
    /**
     * 48-bit hashes of the counted event ids ({@link EventIdHash}: 6 bytes each instead of the id text), the first
     * {@link ParcelTracker#INLINE_SEEN} of them; the parcel's further ones are in the tracker's map state.
     */
    public long[] seen = new long[0];
    /** Whether more counted event ids than {@code seen} holds are kept in the tracker's map state. */
    public boolean seenOverflow;
    /** Key ({@code DISTRICT/TYPE}) of the open stay, or null when no stay is open. */
    public String stayKey;
    public String stayFacility;
    public FacilityType stayType;
    public long stayOpen;
    /** Event time of the last applied scan, or {@link Long#MIN_VALUE} when none is applied. */
    public long lastScan = Long.MIN_VALUE;
    /** Event time of the delivery that starts the retention period, or {@link Long#MIN_VALUE}. */
    public long deliveredAt = Long.MIN_VALUE;
    /** The one event-time timer registered for this parcel, or {@link Long#MIN_VALUE}. */
    public long timer = Long.MIN_VALUE;

    public ParcelState() {}

    boolean hasStay() {
        return stayKey != null;
    }

    boolean isEmpty() {
        return pending.isEmpty() && stayKey == null && lastScan == Long.MIN_VALUE;
    }
}
