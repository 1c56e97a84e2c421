package com.expressmonitor.benchmark;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Discards its records but notes, for each, its window end and the wall-clock moment it reached the sink, so that
 * the benchmark can compare with the moment the watermark passed that window end at the sources.
 */
class LatencySink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    /** {windowEnd, System.nanoTime()} of every record that reached a latency sink in this JVM. */
    static final ConcurrentLinkedQueue<long[]> ARRIVALS = new ConcurrentLinkedQueue<>();
    static final AtomicLong COUNT = new AtomicLong();

    /** The window end of a record. */
    interface WindowEnd<T> extends java.io.Serializable {
        long of(T record);
    }

    private final WindowEnd<T> windowEnd;

    LatencySink(WindowEnd<T> windowEnd) {
        this.windowEnd = windowEnd;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context context) throws java.io.IOException, InterruptedException {
                long now = System.nanoTime();
                COUNT.incrementAndGet();
                ARRIVALS.add(new long[] {windowEnd.of(element), now});
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
