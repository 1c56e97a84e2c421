package com.expressmonitor.io;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.streaming.api.connector.sink2.SupportsPreWriteTopology;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.function.SerializableFunction;

import java.util.List;

/**
 * The console's view of a stream that is shown as counts rather than line by line (dead letters, late events):
 * a step before the writer counts each record under its names (e.g. {@code reason:MISSING_FIELD} and
 * {@code partition:file:scans.jsonl}) in an accumulator, which the client prints when the job has ended; the
 * writer prints nothing.
 */
public final class CountingConsoleSink<T> implements Sink<T>, SupportsPreWriteTopology<T> {
    private static final long serialVersionUID = 1L;

    private final String accumulator;
    private final SerializableFunction<T, List<String>> names;

    public CountingConsoleSink(String accumulator, SerializableFunction<T, List<String>> names) {
        this.accumulator = accumulator;
        this.names = names;
    }

    @Override
    public DataStream<T> addPreWriteTopology(DataStream<T> input) {
        return input.process(new Count<>(accumulator, names), input.getType())
                .uid("console-count-" + accumulator).name("Count " + accumulator);
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) {}

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }

    /** Counts and drops every record: nothing reaches the writer. */
    private static final class Count<T> extends ProcessFunction<T, T> {
        private static final long serialVersionUID = 1L;
        private final String accumulator;
        private final SerializableFunction<T, List<String>> names;
        private transient CountsAccumulator counts;

        Count(String accumulator, SerializableFunction<T, List<String>> names) {
            this.accumulator = accumulator;
            this.names = names;
        }

        @Override
        public void open(OpenContext openContext) {
            counts = new CountsAccumulator();
            getRuntimeContext().addAccumulator(accumulator, counts);
        }

        @Override
        public void processElement(T value, Context ctx, Collector<T> out) {
            for (String n : names.apply(value)) {
                counts.add(n);
            }
        }
    }
}
