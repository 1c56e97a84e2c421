package com.expressmonitor.io;

import com.expressmonitor.event.ScanRecord;

import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.lib.util.IteratorSourceReaderBase;
import org.apache.flink.api.connector.source.lib.util.IteratorSourceSplit;
import org.apache.flink.core.io.InputStatus;

import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Reads iterator splits (the generator's shares) one after another and turns each element into a
 * {@link ScanRecord}. Unlike Flink's base reader it accepts splits with nothing in them, and it pauses a split whose
 * watermark runs too far ahead of the other readers' (watermark alignment).
 */
public abstract class ScanSplitReader<E, I extends Iterator<E>, S extends IteratorSourceSplit<E, I>>
        extends IteratorSourceReaderBase<E, ScanRecord, I, S> {

    private final Set<String> paused = new HashSet<>();

    protected ScanSplitReader(SourceReaderContext context) {
        super(context);
    }

    @Override
    public InputStatus pollNext(ReaderOutput<ScanRecord> output) {
        if (currentSplit != null && paused.contains(currentSplit.splitId())) {
            if (availability.isDone()) {
                availability = new CompletableFuture<>(); // completed when the split is resumed
            }
            return InputStatus.NOTHING_AVAILABLE;
        }
        while (true) {
            if (iterator != null) {
                if (iterator.hasNext()) {
                    output.collect(convert(iterator.next()));
                    return InputStatus.MORE_AVAILABLE;
                }
                finishSplit();
            }
            InputStatus status = tryMoveToNextSplit();
            if (status != InputStatus.MORE_AVAILABLE) {
                return status;
            }
            // the next split is open: loop, it may hold nothing
        }
    }

    @Override
    public void pauseOrResumeSplits(Collection<String> splitsToPause, Collection<String> splitsToResume) {
        paused.addAll(splitsToPause);
        if (paused.removeAll(splitsToResume)) {
            availability.complete(null);
        }
    }
}
