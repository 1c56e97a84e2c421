package com.expressmonitor.io;

import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.util.function.SerializableFunction;

import java.io.IOException;
import java.io.OutputStream;

/** Writes each record as one line of JSON. */
public final class JsonLinesEncoder<T> implements Encoder<T> {
    private static final long serialVersionUID = 1L;
    private final SerializableFunction<T, byte[]> toJson;

    public JsonLinesEncoder(SerializableFunction<T, byte[]> toJson) {
        this.toJson = toJson;
    }

    @Override
    public void encode(T element, OutputStream stream) throws IOException {
        stream.write(toJson.apply(element));
        stream.write('\n');
    }
}
