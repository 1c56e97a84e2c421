package com.expressmonitor.io;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.streaming.api.connector.sink2.SupportsPreWriteTopology;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.util.function.SerializableFunction;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Prints window results (alerts, metrics records) on standard output in window order over the whole job.
 *
 * <p>Each key's results arrive in window order, but keys and subtasks interleave. All records go to one writer
 * (the pre-write topology sends every record to the first writer subtask), which holds them until the watermark
 * passes their window's end and then prints them sorted. That is exact: a window's results are emitted when the
 * watermark reaches the window's last millisecond, before that watermark is passed on, so when the writer sees
 * watermark {@code w} every result of a window ending at or before {@code w + 1} has arrived.
 */
public final class WindowOrderedConsoleSink<T> implements Sink<T>, SupportsPreWriteTopology<T> {
    private static final long serialVersionUID = 1L;

    private final SerializableFunction<T, String> format;
    private final SerializableFunction<T, Long> windowEnd;
    private final SerializableFunction<T, String> order;

    /**
     * @param order text that orders the records of one window (e.g. district, facility type and kind)
     */
    public WindowOrderedConsoleSink(SerializableFunction<T, String> format, SerializableFunction<T, Long> windowEnd,
            SerializableFunction<T, String> order) {
        this.format = format;
        this.windowEnd = windowEnd;
        this.order = order;
    }

    @Override
    public DataStream<T> addPreWriteTopology(DataStream<T> input) {
        return input.global();
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        Comparator<T> byWindow = Comparator.<T>comparingLong(windowEnd::apply).thenComparing(order::apply);
        PriorityQueue<T> held = new PriorityQueue<>(byWindow);
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) {
                held.add(element);
            }

            @Override
            public void writeWatermark(Watermark watermark) {
                long w = watermark.getTimestamp();
                List<String> lines = new ArrayList<>();
                while (!held.isEmpty() && windowEnd.apply(held.peek()) - 1 <= w) {
                    String line = format.apply(held.poll());
                    if (line != null) {
                        lines.add(line);
                    }
                }
                ConsoleSink.print(lines);
            }

            @Override
            public void flush(boolean endOfInput) {
                if (endOfInput) {
                    writeWatermark(new Watermark(Long.MAX_VALUE));
                }
                ConsoleSink.flushOut();
            }

            @Override
            public void close() {}
        };
    }
}
