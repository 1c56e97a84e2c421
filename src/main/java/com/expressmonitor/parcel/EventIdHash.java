package com.expressmonitor.parcel;

/** A 64-bit hash of an event id, so a parcel remembers the scans it counted in 8 bytes each. */
final class EventIdHash {
    private EventIdHash() {}

    /** FNV-1a over the UTF-16 units, finished with a 64-bit avalanche mix. */
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
        return h;
    }
}
