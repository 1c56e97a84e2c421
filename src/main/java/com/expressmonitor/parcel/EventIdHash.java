package com.expressmonitor.parcel;

/**
 * A 48-bit hash of an event id, so a parcel remembers the scans it counted in 6 bytes each.
 *
 * <p>Two different ids of one parcel share a hash with probability about n&sup2;/2 / 2<sup>48</sup> for n counted
 * scans: for 10 scans 1.6 &times; 10<sup>-13</sup>, so for the whole country's 700 million parcels a day one scan
 * wrongly taken for a duplicate in about 25 years. Eight bytes would not make that noticeably better; four would
 * make it several a day.
 */
final class EventIdHash {
    private EventIdHash() {}

    /** FNV-1a over the UTF-16 units, finished with a 64-bit avalanche mix; the high 48 bits. */
    static long of(String id) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            h ^= c & 0xFF;
            h *= 0x100000001b3L;
            h ^= c >>> 8;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h >>> 16;
    }
}
