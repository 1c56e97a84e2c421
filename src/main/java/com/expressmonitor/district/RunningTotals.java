package com.expressmonitor.district;

/** Open and stuck stays of one district and facility type, carried from window to window. */
public class RunningTotals {
    public long backlog;
    public long stuck;

    public RunningTotals() {}
}
