package com.expressmonitor.alert;

/** What an alert watches; the declaration order is the order kinds are evaluated in. */
public enum AlertKind {
    BACKLOG,
    STUCK,
    SURGE
}
