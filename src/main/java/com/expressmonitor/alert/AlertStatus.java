package com.expressmonitor.alert;

/** How the level changed: raised from none, up, down, or back to none. */
public enum AlertStatus {
    OPEN,
    ESCALATED,
    DEESCALATED,
    RESOLVED
}
