package com.expressmonitor.io;

import com.expressmonitor.event.ScanParser;
import com.expressmonitor.event.ScanRecord;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Replays JSON-lines scan files (a file, or every visible file of a folder), each file one input partition with
 * its own watermark, bounded: the job ends when all are read. Records are parsed by the reader, so rejected ones
 * carry {@code file:NAME:LINE}.
 */
public class ReplayFileSource implements Source<ScanRecord, ReplayFileSplit, Collection<ReplayFileSplit>>,
        ResultTypeQueryable<ScanRecord> {
    private static final long serialVersionUID = 1L;

    private final List<ReplayFileSplit> files;
    private final ScanParser parser;

    private ReplayFileSource(List<ReplayFileSplit> files, ScanParser parser) {
        this.files = files;
        this.parser = parser;
    }

    /** A source over {@code path}: one file, or the files of a folder whose names do not start with '.' or '_'. */
    public static ReplayFileSource of(String path, ScanParser parser) {
        try {
            Path p = new Path(path);
            FileSystem fs = FileSystem.get(p.toUri());
            if (!fs.exists(p)) {
                throw new IllegalArgumentException("--source file:" + path + ": no such file or folder");
            }
            List<ReplayFileSplit> splits = new ArrayList<>();
            FileStatus status = fs.getFileStatus(p);
            if (status.isDir()) {
                FileStatus[] children = fs.listStatus(p);
                java.util.Arrays.sort(children, Comparator.comparing(s -> s.getPath().getName()));
                for (FileStatus c : children) {
                    String name = c.getPath().getName();
                    if (!c.isDir() && !name.startsWith(".") && !name.startsWith("_")) {
                        splits.add(new ReplayFileSplit(c.getPath().toString(), name, 0));
                    }
                }
            } else {
                splits.add(new ReplayFileSplit(p.toString(), p.getName(), 0));
            }
            return new ReplayFileSource(List.copyOf(splits), parser);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list replay files at " + path, e);
        }
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<ScanRecord, ReplayFileSplit> createReader(SourceReaderContext context) {
        return new ReplayFileReader(parser);
    }

    @Override
    public SplitEnumerator<ReplayFileSplit, Collection<ReplayFileSplit>> createEnumerator(
            SplitEnumeratorContext<ReplayFileSplit> context) {
        return new ReplayEnumerator(context, files);
    }

    @Override
    public SplitEnumerator<ReplayFileSplit, Collection<ReplayFileSplit>> restoreEnumerator(
            SplitEnumeratorContext<ReplayFileSplit> context, Collection<ReplayFileSplit> checkpoint) {
        return new ReplayEnumerator(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<ReplayFileSplit> getSplitSerializer() {
        return CODEC;
    }

    @Override
    public SimpleVersionedSerializer<Collection<ReplayFileSplit>> getEnumeratorCheckpointSerializer() {
        return CODEC.forCollections();
    }

    @Override
    public TypeInformation<ScanRecord> getProducedType() {
        return TypeInformation.of(ScanRecord.class);
    }

    /** How replay splits are checkpointed: the file and how many of its lines were read. */
    static final SplitCodec<ReplayFileSplit> CODEC = new SplitCodec<>() {
        @Override
        protected void write(DataOutputStream out, ReplayFileSplit split) throws IOException {
            out.writeUTF(split.path());
            out.writeUTF(split.name());
            out.writeLong(split.linesRead());
        }

        @Override
        protected ReplayFileSplit read(DataInputStream in) throws IOException {
            return new ReplayFileSplit(in.readUTF(), in.readUTF(), in.readLong());
        }
    };
}
