package com.expressmonitor.event;

/**
 * An invalid input record as the dead-letter output carries it.
 *
 * @param raw the original bytes, written as text when they are UTF-8 and as base64 otherwise
 * @param headerKeys the original record's header keys when it came from Kafka (null otherwise); the Kafka
 *     dead-letter output writes them back, the JSON outputs ignore them
 * @param headerValues the original header values, parallel to {@code headerKeys}
 */
public record DeadLetter(RejectReason reason, String detail, byte[] raw, String source, String[] headerKeys,
        byte[][] headerValues) {

    public DeadLetter(RejectReason reason, String detail, byte[] raw, String source) {
        this(reason, detail, raw, source, null, null);
    }
}
