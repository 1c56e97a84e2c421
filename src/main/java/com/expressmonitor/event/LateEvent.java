package com.expressmonitor.event;

/**
 * A valid scan that came too late for its partition, with the bound it missed.
 *
 * @param cutoff epoch milliseconds: the partition's greatest event time so far minus the allowed out-of-orderness
 */
public record LateEvent(ScanEvent event, String source, long cutoff) {}
