package com.expressmonitor.alert;

/** The held level and the open alert's id of each kind for one district and facility type. */
public class AlertState {
    /** Per {@link AlertKind} ordinal: the {@link AlertLevel} ordinal held now. */
    public byte[] levels = new byte[AlertKind.values().length];
    /** Per {@link AlertKind} ordinal: the id of the open alert, or null. */
    public String[] alertIds = new String[AlertKind.values().length];

    public AlertState() {}

    boolean allNone() {
        for (byte l : levels) {
            if (l != 0) {
                return false;
            }
        }
        return true;
    }
}
