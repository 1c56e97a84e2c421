package com.expressmonitor.testing;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Passes records to another sink and fails the job once, when the records it has seen (over all subtasks and
 * attempts) reach a number: a crash in the middle of a run, after which Flink restarts from the last checkpoint.
 */
public final class FailOnceSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;
    /** Records seen per sink instance, or -1 once it has failed. */
    private static final Map<String, AtomicInteger> SEEN = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();
    private final Sink<T> target;
    private final int failAt;

    public FailOnceSink(Sink<T> target, int failAt) {
        this.target = target;
        this.failAt = failAt;
        SEEN.put(id, new AtomicInteger());
    }

    /** True once the injected failure has happened. */
    public boolean failed() {
        return SEEN.get(id).get() < 0;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        SinkWriter<T> writer = target.createWriter(context);
        AtomicInteger seen = SEEN.get(id);
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) throws IOException, InterruptedException {
                while (true) {
                    int n = seen.get();
                    if (n < 0) {
                        break; // failed already: this is the restarted job
                    }
                    int next = n + 1 >= failAt ? -1 : n + 1;
                    if (seen.compareAndSet(n, next)) {
                        if (next < 0) {
                            throw new IOException("injected failure after " + failAt + " records");
                        }
                        break;
                    }
                }
                writer.write(element, ctx);
            }

            @Override
            public void flush(boolean endOfInput) throws IOException, InterruptedException {
                writer.flush(endOfInput);
            }

            @Override
            public void close() throws Exception {
                writer.close();
            }
        };
    }
}
