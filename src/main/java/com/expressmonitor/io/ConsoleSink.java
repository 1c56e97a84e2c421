package com.expressmonitor.io;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.util.function.SerializableFunction;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Prints each record as one readable line on standard output (or nothing, for a stream the view leaves out). */
public final class ConsoleSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;
    /** Standard output as UTF-8 (whatever the platform's default), replaceable by tests of this package. */
    static volatile PrintStream OUT = new PrintStream(new FileOutputStream(FileDescriptor.out), true,
            StandardCharsets.UTF_8);

    private final SerializableFunction<T, String> format;

    public ConsoleSink(SerializableFunction<T, String> format) {
        this.format = format;
    }

    /** Prints lines together, so that the lines of two writers do not interleave inside one another. */
    static void print(List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        PrintStream out = OUT;
        synchronized (out) {
            for (String line : lines) {
                out.println(line);
            }
        }
    }

    static void flushOut() {
        OUT.flush();
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) {
                String line = format.apply(element);
                if (line != null) {
                    print(List.of(line));
                }
            }

            @Override
            public void flush(boolean endOfInput) {
                flushOut();
            }

            @Override
            public void close() {}
        };
    }
}
