package com.expressmonitor.alert;

/** What became of a rule update. */
public enum RuleStatus {
    /** Valid and newer than the rules in force: it is the rules in force now. */
    APPLIED,
    /** Not valid: the rules in force stay as they were. */
    REJECTED,
    /** Its version is not newer than the one in force (an old or repeated update): nothing changes. */
    IGNORED
}
