package com.expressmonitor.event;

/** Why a record went to the dead-letter output; the order is the order the checks run in. */
public enum RejectReason {
    MALFORMED_JSON,
    MISSING_FIELD,
    INVALID_FIELD,
    UNKNOWN_FACILITY,
    TIMESTAMP_OUT_OF_RANGE
}
