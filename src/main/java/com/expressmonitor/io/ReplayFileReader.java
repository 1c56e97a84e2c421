package com.expressmonitor.io;

import com.expressmonitor.event.ScanParser;
import com.expressmonitor.event.ScanRecord;

import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.core.io.InputStatus;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;

/**
 * Reads all the replay files given to this reader side by side, always taking the next record from the file whose
 * next record is earliest, each file with its own watermark output. Merging by event time keeps the files' watermarks
 * close together, so windows close as the replay goes and the state held for pending scans stays small. A file whose
 * watermark runs too far ahead of the other readers' is paused (watermark alignment) and the others read on.
 */
final class ReplayFileReader implements SourceReader<ScanRecord, ReplayFileSplit> {
    private final ScanParser parser;
    private final List<ReplayFileSplit> toOpen = new ArrayList<>();
    private final PriorityQueue<OpenFile> files = new PriorityQueue<>();
    private CompletableFuture<Void> available = new CompletableFuture<>();
    private boolean noMoreSplits;
    private final Set<String> paused = new HashSet<>();

    /** One file being read: its next record already parsed, so that files can be merged by event time. */
    private static final class OpenFile implements Comparable<OpenFile> {
        final ReplayFileSplit split;
        final ReplayFileSplit.LineIterator lines;
        final SourceOutput<ScanRecord> output;
        ScanRecord head;
        long headLine;
        long headTime;

        OpenFile(ReplayFileSplit split, SourceOutput<ScanRecord> output) {
            this.split = split;
            this.lines = split.getIterator();
            this.output = output;
        }

        @Override
        public int compareTo(OpenFile o) {
            return Long.compare(headTime, o.headTime);
        }
    }

    ReplayFileReader(ScanParser parser) {
        this.parser = parser;
    }

    @Override
    public void start() {}

    @Override
    public InputStatus pollNext(ReaderOutput<ScanRecord> output) {
        for (ReplayFileSplit split : toOpen) {
            OpenFile f = new OpenFile(split, output.createOutputForSplit(split.splitId()));
            if (advance(f)) {
                files.add(f);
            } else {
                output.releaseOutputForSplit(split.splitId());
            }
        }
        toOpen.clear();
        OpenFile next = nextNotPaused();
        if (next == null) {
            if (noMoreSplits && files.isEmpty()) {
                return InputStatus.END_OF_INPUT;
            }
            available = new CompletableFuture<>(); // completed by a new split, the end of splits or a resumed file
            return InputStatus.NOTHING_AVAILABLE;
        }
        next.output.collect(next.head);
        if (advance(next)) {
            files.add(next);
        } else {
            output.releaseOutputForSplit(next.split.splitId());
        }
        return InputStatus.MORE_AVAILABLE;
    }

    /** The open file with the earliest next record among those not paused, taken out of the queue; or null. */
    private OpenFile nextNotPaused() {
        if (paused.isEmpty()) {
            return files.poll();
        }
        List<OpenFile> skipped = new ArrayList<>();
        OpenFile next;
        while ((next = files.poll()) != null && paused.contains(next.split.splitId())) {
            skipped.add(next);
        }
        files.addAll(skipped);
        return next;
    }

    @Override
    public void pauseOrResumeSplits(Collection<String> splitsToPause, Collection<String> splitsToResume) {
        paused.addAll(splitsToPause);
        if (paused.removeAll(splitsToResume)) {
            available.complete(null);
        }
    }

    /** Reads and parses the file's next record; false at the end of the file. */
    private boolean advance(OpenFile f) {
        if (!f.lines.hasNext()) {
            f.lines.close();
            f.head = null;
            return false;
        }
        RawLine line = f.lines.next();
        f.head = parser.parse(line.bytes, 0, line.length, line.partition, line.lineNumber);
        f.headLine = line.lineNumber;
        // Rejected records carry no time: let them out first.
        f.headTime = f.head.event != null ? f.head.event.eventTime() : Long.MIN_VALUE;
        return true;
    }

    @Override
    public List<ReplayFileSplit> snapshotState(long checkpointId) {
        List<ReplayFileSplit> state = new ArrayList<>(toOpen);
        for (OpenFile f : files) {
            // The parsed head has not been emitted: a restored reader reads it again.
            state.add(f.split.after(f.headLine - 1));
        }
        return state;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return available;
    }

    @Override
    public void addSplits(List<ReplayFileSplit> splits) {
        toOpen.addAll(splits);
        available.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        available.complete(null);
    }

    @Override
    public void close() {
        files.forEach(f -> f.lines.close());
    }
}
