package com.expressmonitor.generator;

import com.expressmonitor.event.ScanParser;
import com.expressmonitor.event.ScanRecord;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.lib.util.IteratorSourceEnumerator;
import com.expressmonitor.io.ScanSplitReader;
import com.expressmonitor.io.SplitCodec;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The built-in {@code generator} source: a seeded simulation of one peak-season day, bounded (it ends when the
 * day's parcels are delivered), one split per reader. Records go through the same parser as real input.
 */
public class GeneratorSource implements Source<ScanRecord, GeneratorSplit, Collection<GeneratorSplit>>,
        ResultTypeQueryable<ScanRecord> {
    private static final long serialVersionUID = 1L;

    private final GeneratorSettings settings;
    private final NetworkModel network;
    private final int offsetSeconds;
    private final ScanParser parser;

    public GeneratorSource(GeneratorSettings settings, NetworkModel network, int offsetSeconds, ScanParser parser) {
        this.settings = settings;
        this.network = network;
        this.offsetSeconds = offsetSeconds;
        this.parser = parser;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<ScanRecord, GeneratorSplit> createReader(SourceReaderContext context) {
        return new ScanSplitReader<byte[], GeneratorSplit.Records, GeneratorSplit>(context) {
            private String partition;
            private long position;

            @Override
            protected ScanRecord convert(byte[] bytes) {
                if (partition == null || !partition.equals("generator:" + currentSplit.index() + "/")) {
                    partition = "generator:" + currentSplit.index() + "/";
                }
                position = iterator.position;
                return parser.parse(bytes, partition, position);
            }
        };
    }

    @Override
    public SplitEnumerator<GeneratorSplit, Collection<GeneratorSplit>> createEnumerator(
            SplitEnumeratorContext<GeneratorSplit> context) {
        int n = Math.max(1, context.currentParallelism());
        List<GeneratorSplit> splits = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            splits.add(new GeneratorSplit(network, i, n, settings.seed(), settings.parcels(), settings.day(), offsetSeconds, 0));
        }
        return new IteratorSourceEnumerator<>(context, splits);
    }

    @Override
    public SplitEnumerator<GeneratorSplit, Collection<GeneratorSplit>> restoreEnumerator(
            SplitEnumeratorContext<GeneratorSplit> context, Collection<GeneratorSplit> checkpoint) {
        return new IteratorSourceEnumerator<>(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<GeneratorSplit> getSplitSerializer() {
        return CODEC;
    }

    @Override
    public SimpleVersionedSerializer<Collection<GeneratorSplit>> getEnumeratorCheckpointSerializer() {
        return CODEC.forCollections();
    }

    @Override
    public TypeInformation<ScanRecord> getProducedType() {
        return TypeInformation.of(ScanRecord.class);
    }

    /** How generator splits are checkpointed: the share, its seed and how many records it emitted. */
    static final SplitCodec<GeneratorSplit> CODEC = new SplitCodec<>() {
        @Override
        protected void write(DataOutputStream out, GeneratorSplit s) throws IOException {
            out.writeInt(s.network().districts().size());
            for (NetworkModel.District d : s.network().districts()) {
                out.writeUTF(d.code());
                out.writeBoolean(d.name() != null);
                if (d.name() != null) {
                    out.writeUTF(d.name());
                }
                out.writeDouble(d.weight());
                out.writeInt(d.stations());
            }
            out.writeUTF(s.network().congestedDistrict());
            out.writeInt(s.index());
            out.writeInt(s.count());
            out.writeLong(s.seed());
            out.writeLong(s.parcels());
            out.writeUTF(s.day());
            out.writeInt(s.offsetSeconds());
            out.writeLong(s.emitted());
        }

        @Override
        protected GeneratorSplit read(DataInputStream in) throws IOException {
            int n = in.readInt();
            List<NetworkModel.District> districts = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String code = in.readUTF();
                String name = in.readBoolean() ? in.readUTF() : null;
                districts.add(new NetworkModel.District(code, name, in.readDouble(), in.readInt()));
            }
            NetworkModel network = new NetworkModel(List.copyOf(districts), in.readUTF());
            return new GeneratorSplit(network, in.readInt(), in.readInt(), in.readLong(), in.readLong(), in.readUTF(),
                    in.readInt(), in.readLong());
        }
    };
}
