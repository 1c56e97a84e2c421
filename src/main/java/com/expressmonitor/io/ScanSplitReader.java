package com.expressmonitor.io;

import com.expressmonitor.event.ScanRecord;

import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.lib.util.IteratorSourceReaderBase;
import org.apache.flink.api.connector.source.lib.util.IteratorSourceSplit;
import org.apache.flink.core.io.InputStatus;

import java.util.Iterator;

/**
 * Reads iterator splits (the generator's shares) one after another and turns each element into a
 * {@link ScanRecord}. Unlike Flink's base reader it accepts splits with nothing in them.
 */
public abstract class ScanSplitReader<E, I extends Iterator<E>, S extends IteratorSourceSplit<E, I>>
        extends IteratorSourceReaderBase<E, ScanRecord, I, S> {

    protected ScanSplitReader(SourceReaderContext context) {
        super(context);
    }

    @Override
    public InputStatus pollNext(ReaderOutput<ScanRecord> output) {
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
}
