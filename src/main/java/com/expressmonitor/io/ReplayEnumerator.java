package com.expressmonitor.io;

import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands every replay file out at once, round robin over the readers, as soon as all readers are there: a reader then
 * reads all its files side by side, so each file's watermark advances with the file and none is read after another
 * reader's watermark has passed it.
 */
final class ReplayEnumerator implements SplitEnumerator<ReplayFileSplit, Collection<ReplayFileSplit>> {
    private final SplitEnumeratorContext<ReplayFileSplit> context;
    private final List<ReplayFileSplit> unassigned;
    /** Files given back by a failed reader, for that reader when it registers again. */
    private final Map<Integer, List<ReplayFileSplit>> returned = new HashMap<>();
    private boolean assigned;

    ReplayEnumerator(SplitEnumeratorContext<ReplayFileSplit> context, Collection<ReplayFileSplit> splits) {
        this.context = context;
        this.unassigned = new ArrayList<>(splits);
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        // Files are pushed to the readers, never requested.
    }

    @Override
    public void addSplitsBack(List<ReplayFileSplit> splits, int subtaskId) {
        returned.computeIfAbsent(subtaskId, k -> new ArrayList<>()).addAll(splits);
    }

    @Override
    public void addReader(int subtaskId) {
        if (!assigned) {
            if (context.registeredReaders().size() < context.currentParallelism()) {
                return; // wait for all readers, so that the files are spread over them
            }
            assigned = true;
            int readers = context.currentParallelism();
            for (int i = 0; i < unassigned.size(); i++) {
                returned.computeIfAbsent(i % readers, k -> new ArrayList<>()).add(unassigned.get(i));
            }
            unassigned.clear();
            for (int reader : context.registeredReaders().keySet()) {
                handOver(reader);
            }
        } else {
            handOver(subtaskId);
        }
    }

    private void handOver(int reader) {
        List<ReplayFileSplit> splits = returned.remove(reader);
        if (splits != null) {
            for (ReplayFileSplit s : splits) {
                context.assignSplit(s, reader);
            }
        }
        context.signalNoMoreSplits(reader);
    }

    @Override
    public Collection<ReplayFileSplit> snapshotState(long checkpointId) {
        List<ReplayFileSplit> open = new ArrayList<>(unassigned);
        returned.values().forEach(open::addAll);
        return open;
    }

    @Override
    public void close() {}
}
