package com.expressmonitor.io;

import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Checkpoint form of a source's splits: a subclass says how one split is written and read, and gets the split
 * serializer and the enumerator's (a collection of splits) for free.
 */
public abstract class SplitCodec<S> implements SimpleVersionedSerializer<S> {

    protected abstract void write(DataOutputStream out, S split) throws IOException;

    protected abstract S read(DataInputStream in) throws IOException;

    @Override
    public int getVersion() {
        return 1;
    }

    @Override
    public byte[] serialize(S split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(out, split);
        }
        return bytes.toByteArray();
    }

    @Override
    public S deserialize(int version, byte[] serialized) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            return read(in);
        }
    }

    /** The serializer of the enumerator's checkpoint: the splits not yet assigned. */
    public SimpleVersionedSerializer<Collection<S>> forCollections() {
        return new SimpleVersionedSerializer<>() {
            @Override
            public int getVersion() {
                return 1;
            }

            @Override
            public byte[] serialize(Collection<S> splits) throws IOException {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (DataOutputStream out = new DataOutputStream(bytes)) {
                    out.writeInt(splits.size());
                    for (S s : splits) {
                        write(out, s);
                    }
                }
                return bytes.toByteArray();
            }

            @Override
            public Collection<S> deserialize(int version, byte[] serialized) throws IOException {
                try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                    int n = in.readInt();
                    List<S> splits = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        splits.add(read(in));
                    }
                    return splits;
                }
            }
        };
    }
}
