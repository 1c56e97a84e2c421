package com.expressmonitor.event;

/**
 * An invalid input record as the dead-letter output carries it.
 *
 * @param raw the original bytes, written as text when they are UTF-8 and as base64 otherwise
 */
public record DeadLetter(RejectReason reason, String detail, byte[] raw, String source) {}
