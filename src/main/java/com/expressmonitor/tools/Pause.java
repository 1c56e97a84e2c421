package com.expressmonitor.tools;

import org.apache.kafka.clients.producer.Producer;

import java.util.concurrent.TimeUnit;

/** The wait of the tools that send at a given rate, between one record and the next that is not yet due. */
final class Pause {
    private static final long FLUSH_BEFORE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private Pause() {}

    /** Waits {@code nanos} (nothing if not positive); before a long wait, what was sent is flushed. */
    static void sleep(long nanos, Producer<?, ?> producer) throws InterruptedException {
        if (nanos <= 0) {
            return;
        }
        if (nanos > FLUSH_BEFORE_NANOS) {
            producer.flush(); // what is due is on its way before a pause, not after it
        }
        TimeUnit.NANOSECONDS.sleep(nanos);
    }
}
