package com.expressmonitor.tools;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Accounts for the records a tool sends into Kafka: the producer's callback counts the ones the broker did not take,
 * and {@link #confirm} turns any such record into one line and a failed exit, so that a replay or a generated day
 * that lost records never ends as if it had written them all.
 */
final class Delivery implements Callback {
    private final String tool;
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Exception> first = new AtomicReference<>();

    Delivery(String tool) {
        this.tool = tool;
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception e) {
        if (e != null && failed.getAndIncrement() == 0) {
            first.set(e);
            // Said at once, not only at the end: a long replay that has begun to lose records should not look fine.
            System.err.println(tool + ": records are not being written: " + message(e));
        }
    }

    long failed() {
        return failed.get();
    }

    /**
     * After the producer was flushed: fails when any of {@code sent} records was not written.
     *
     * @throws NotWritten naming how many records of {@code sent} were lost, the topic and the first error
     */
    void confirm(long sent, String topic) {
        long lost = failed.get();
        if (lost > 0) {
            throw new NotWritten(String.format("%,d of %,d records were not written to %s (first error: %s)",
                    lost, sent, topic, message(first.get())));
        }
    }

    private static String message(Exception e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /** Records that the broker did not take: the message is the whole line shown; the exit status is 1. */
    static final class NotWritten extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotWritten(String message) {
            super(message);
        }
    }
}
