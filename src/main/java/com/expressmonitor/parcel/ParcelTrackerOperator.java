package com.expressmonitor.parcel;

import com.expressmonitor.district.DistrictDelta;
import com.expressmonitor.accounting.CheckpointedCounts;
import com.expressmonitor.event.ScanEvent;
import com.expressmonitor.event.ScanEventSerializer;

import org.apache.flink.api.common.accumulators.LongMaximum;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.TestableKeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.state.rocksdb.RocksDBKeyedStateBackend;
import org.apache.flink.streaming.api.SimpleTimerService;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.operators.AbstractUdfStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Runs {@link ParcelTracker} with the savings below, and the same results as the plain function at its timers.
 *
 * <p><b>Scans wait in memory, not in state.</b> A scan may be applied only once the watermark has passed its time.
 * The plain function keeps it in the parcel's state with a timer at its time, which costs two state reads and
 * writes and three timer operations per scan. Here scans wait in an in-memory buffer ordered by event time; when a
 * watermark arrives, the passed ones are applied (each parcel's in application order), each with one state read and
 * one write, before the parcels' own timers (abandonment, expiry) fire and before the watermark goes on. Those
 * timers are set lazily: only when a parcel's next deadline comes earlier than the one already set (a later one is
 * found when the timer fires). A checkpoint stores the buffer as the operator's list state (union state: restored at any parallelism,
 * each subtask keeps the scans of its own key groups), a plain write of a couple of minutes of scans instead of a
 * state write and a timer for each, and the parcels' state holds parcels only. Only if too many scans wait (no
 * watermark for long) are they moved into their parcels' state with timers, the plain function's path.
 *
 * <p><b>Passed scans are applied key group by key group</b>, which keeps RocksDB's working set for consecutive scans
 * small enough for the CPU cache, and <b>parcel by parcel</b>: the scans of one parcel that a watermark passes cost
 * one state read and one write together, however many there are.
 *
 * <p><b>Changes are summed before the district shuffle, and sent when their window is due.</b> The changes to
 * district figures are summed per (district and facility type, window) in memory. A sum is sent just before the
 * first watermark that reaches its window's end (the watermark that fires the window downstream), and every sum
 * before a checkpoint barrier (so that none is in flight at a checkpoint, and the operator keeps no state for them).
 * The window downstream sums them anyway, so its contents are the same; but most changes are for later windows (a
 * stay becomes stuck its SLA after it opens, hours later, and a stay that closes takes back that later stuck mark),
 * and sending them at every watermark cost the window operator a state read, a write and a timer per (district,
 * window) and watermark: most of its work. At most {@link #MAX_SUMS} sums are held; beyond that all are sent at once.
 * Holding them is safe because the window fires only once every tracker subtask's watermark has passed its end, and
 * every tracker subtask reads from every classifier subtask (the keyBy): they go idle together, so an idle tracker
 * subtask holding a sum never lets the window fire without it.
 *
 * <p><b>At the end of the input on RocksDB the parcels are finished in key order</b>, not each at its timer
 * ({@link #finishAllParcels}).
 *
 * <p>Any record the tracker sees has an event time after the last watermark it saw (the classifier sends later
 * records to the late output), so applying a parcel's passed scans at a watermark gives the same order, the same
 * decisions and the same window contents as applying each at its own timer.
 */
public class ParcelTrackerOperator extends AbstractUdfStreamOperator<DistrictDelta, ParcelTracker>
        implements OneInputStreamOperator<ScanEvent, DistrictDelta>, Triggerable<String, VoidNamespace> {
    private static final long serialVersionUID = 1L;
    /** Most scans kept waiting in memory per subtask; beyond that they wait in state as with the plain function. */
    static final int MAX_WAITING = 200_000;
    /**
     * Most sums of changes held per subtask until their window is due: a few hundred keys times the windows of the
     * next day or so in this network; a national network may hold more, and then sends them all earlier.
     */
    static final int MAX_SUMS = 50_000;
    /** Accumulator: the most scans that waited for the watermark at once in one subtask, over the run. */
    public static final String ACC_MOST_WAITING = "most-scans-waiting";

    private transient TimerService timers;
    /** Scans waiting for the watermark, by event-time second, each list in arrival order. */
    private transient TreeMap<Long, ArrayList<ScanEvent>> waiting;
    private transient long lastSecond;
    private transient ArrayList<ScanEvent> lastBucket;
    private transient int waitingCount;
    /** The most scans that waited at once in this subtask (an accumulator: the run's figure, for its summary). */
    private transient LongMaximum mostWaiting;
    /** The waiting scans at the last checkpoint. */
    private transient ListState<ScanEvent> waitingState;
    /** The tracker's counts ({@link ParcelTracker#counts}), so that they survive restarts. */
    private transient CheckpointedCounts counts;
    private transient DeltaSums sums;
    /** Scans passed by the current watermark, being applied (kept to reuse its array). */
    private transient ArrayList<Passed> passed;
    private transient int keyGroups;

    public ParcelTrackerOperator(ParcelTracker tracker) {
        super(tracker);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        waiting = new TreeMap<>();
        lastBucket = null;
        waitingCount = 0;
        keyGroups = getRuntimeContext().getTaskInfo().getMaxNumberOfParallelSubtasks(); // the number of key groups
        // Union state: after a change of parallelism every subtask reads all waiting scans and keeps its own.
        waitingState = context.getOperatorStateStore().getUnionListState(
                new ListStateDescriptor<>("waiting-scans", ScanEventSerializer.INSTANCE));
        counts = new CheckpointedCounts("tracker-counts", ParcelTracker.COUNTS);
        counts.initialize(context.getOperatorStateStore());
        if (context.isRestored()) {
            var task = getRuntimeContext().getTaskInfo();
            KeyGroupRange mine = KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(keyGroups,
                    task.getNumberOfParallelSubtasks(), task.getIndexOfThisSubtask());
            for (ScanEvent e : waitingState.get()) {
                if (mine.contains(KeyGroupRangeAssignment.assignToKeyGroup(e.waybillNo(), keyGroups))) {
                    enqueue(e);
                }
            }
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        List<ScanEvent> all = new ArrayList<>(waitingCount);
        for (ArrayList<ScanEvent> scans : waiting.values()) {
            all.addAll(scans);
        }
        waitingState.update(all);
        counts.snapshot(userFunction.counts());
    }

    @Override
    public void open() throws Exception {
        super.open();
        userFunction.restoreCounts(counts);
        mostWaiting = new LongMaximum();
        getRuntimeContext().addAccumulator(ACC_MOST_WAITING, mostWaiting);
        // Read by the metrics reporter's thread: a plain int read, at worst a moment old.
        getMetricGroup().addGroup("expressMonitor").gauge("scansWaiting", (Gauge<Integer>) () -> waitingCount);
        InternalTimerService<VoidNamespace> internal =
                getInternalTimerService("user-timers", VoidNamespaceSerializer.INSTANCE, this);
        timers = new SimpleTimerService(internal);
        sums = new DeltaSums();
        passed = new ArrayList<>();
    }

    /** A scan that arrives only waits; the key is set when it is applied, so the arrival needs no key context. */
    @Override
    public boolean hasKeyContext1() {
        return false;
    }

    @Override
    public void processElement(StreamRecord<ScanEvent> element) throws Exception {
        enqueue(element.getValue());
        if (waitingCount > mostWaiting.getLocalValuePrimitive()) {
            mostWaiting.add(waitingCount);
        }
        if (waitingCount >= MAX_WAITING) {
            holdWaiting(); // no watermark for long (a replay reads everything first): keep memory bounded
        }
    }

    private void enqueue(ScanEvent e) {
        long second = Math.floorDiv(e.eventTime(), 1000L);
        if (lastBucket == null || second != lastSecond) {
            lastBucket = waiting.computeIfAbsent(second, k -> new ArrayList<>());
            lastSecond = second;
        }
        lastBucket.add(e);
        waitingCount++;
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        applyPassed(mark.getTimestamp());
        if (mark.getTimestamp() == Long.MAX_VALUE && onRocksDb(getKeyedStateBackend())) {
            finishAllParcels();
        } else if (timeServiceManager != null) {
            timeServiceManager.advanceWatermark(mark); // abandonment and expiry timers
        }
        sums.sendDue(mark.getTimestamp());
        output.emitWatermark(mark);
    }

    /**
     * Whether the parcels are in RocksDB: directly, or under the changelog backend ({@code state.changelog.enabled}),
     * which logs every change and hands reads, writes and key iteration to the backend it wraps.
     */
    static boolean onRocksDb(KeyedStateBackend<?> backend) {
        KeyedStateBackend<?> inner = backend instanceof TestableKeyedStateBackend<?> wrapping
                ? wrapping.getDelegatedKeyedStateBackend(true)
                : backend;
        return inner instanceof RocksDBKeyedStateBackend;
    }

    /**
     * The end of the input (the final watermark, after a bounded input or when draining) on RocksDB: every parcel's
     * remaining abandonment and expiry, in the order of its keys, instead of each parcel's timer in the order of
     * their times.
     *
     * <p>Every parcel's timer would fire now, and each firing reads its parcel from a random place in RocksDB (the
     * timers come in time order) and polls the timer queue: at the end of a replayed day, several seconds for
     * hundreds of thousands of parcels. One pass over the parcels' keys reads them in RocksDB's order instead, and the
     * timers are not fired afterwards: each belongs to a parcel that this pass dropped, and a timer without its
     * parcel does nothing. The district changes are the same (sums, in any order), and so are the counts. RocksDB's
     * iterator reads the state as it was when the pass began, so dropping parcels along the way is safe; the heap
     * backend's key iteration does not allow that (and its timers cost little), so it keeps the timers.
     */
    private void finishAllParcels() throws Exception {
        try (Stream<String> keys =
                this.<String>getKeyedStateBackend().getKeys(ParcelTracker.STATE_NAME, VoidNamespace.INSTANCE)) {
            Iterator<String> it = keys.iterator();
            while (it.hasNext()) {
                setCurrentKey(it.next());
                // As if its timer fired now at the end of time: everything due is applied and the parcel dropped
                // (its timer, taken as fired, is not deleted).
                userFunction.fire(Long.MAX_VALUE, timers, sums);
            }
        }
    }

    /**
     * Applies every waiting scan at or before {@code watermark}: each parcel's scans in application order, and the
     * parcels grouped by key group. Parcels are independent of each other (their changes to district figures are
     * sums), so the order between parcels changes no result. The state backend keeps a key group's entries together
     * (RocksDB's keys start with the key group), so consecutive reads and writes within one key group touch a small
     * part of RocksDB's memtable, blocks and timer queues that is still in the CPU cache, instead of a random place
     * each time.
     */
    private void applyPassed(long watermark) throws Exception {
        lastBucket = null;
        if (waitingCount == 0) {
            return;
        }
        passed.clear();
        Iterator<Map.Entry<Long, ArrayList<ScanEvent>>> buckets = waiting.entrySet().iterator();
        while (buckets.hasNext()) {
            Map.Entry<Long, ArrayList<ScanEvent>> bucket = buckets.next();
            long first = bucket.getKey() * 1000L;
            if (first > watermark) {
                break;
            }
            ArrayList<ScanEvent> scans = bucket.getValue();
            if (first + 999 > watermark) {
                // The watermark falls inside this second: take the passed scans, keep the others waiting.
                ArrayList<ScanEvent> later = new ArrayList<>();
                for (ScanEvent e : scans) {
                    if (e.eventTime() <= watermark) {
                        passed.add(new Passed(e, keyGroups));
                    } else {
                        later.add(e);
                    }
                }
                if (later.isEmpty()) {
                    buckets.remove();
                } else {
                    bucket.setValue(later);
                }
            } else {
                for (ScanEvent e : scans) {
                    passed.add(new Passed(e, keyGroups));
                }
                buckets.remove();
            }
        }
        waitingCount -= passed.size();
        perParcel(false);
    }

    /**
     * Applies ({@code hold} false) or holds in state the scans of {@link #passed}, sorted first by key group and
     * parcel: a parcel's scans are then next to each other, and its state is read once and written once for all of
     * them, however many there are.
     */
    private void perParcel(boolean hold) throws Exception {
        passed.sort(Passed.ORDER);
        int n = passed.size();
        for (int i = 0; i < n; ) {
            String waybill = passed.get(i).scan.waybillNo();
            setCurrentKey(waybill);
            ParcelState parcel = userFunction.load();
            do {
                ScanEvent scan = passed.get(i++).scan;
                if (hold) {
                    userFunction.holdLoaded(parcel, scan, timers);
                } else {
                    userFunction.applyLoaded(parcel, scan, sums);
                }
            } while (i < n && passed.get(i).scan.waybillNo().equals(waybill));
            if (hold) {
                userFunction.storeHeld(parcel);
            } else {
                userFunction.store(parcel, timers);
            }
        }
        passed.clear();
    }

    /** A passed scan with its sort key: its key group, then its parcel's hash. */
    private static final class Passed {
        /**
         * Key group, then the parcel (by its hash: cheap, and keeps its scans together), then application order. The
         * first two are one number, compared first: most comparisons end there.
         */
        static final Comparator<Passed> ORDER = (a, b) -> {
            if (a.order != b.order) {
                return Long.compare(a.order, b.order);
            }
            int c = a.scan.waybillNo().compareTo(b.scan.waybillNo());
            return c != 0 ? c : ScanEvent.compareForApplication(a.scan, b.scan);
        };

        final ScanEvent scan;
        /** The key group in the high half, the waybill's hash (as unsigned) in the low half. */
        final long order;

        Passed(ScanEvent scan, int keyGroups) {
            this.scan = scan;
            int hash = scan.waybillNo().hashCode();
            int keyGroup = KeyGroupRangeAssignment.computeKeyGroupForKeyHash(hash, keyGroups);
            this.order = ((long) keyGroup << 32) | (hash & 0xFFFF_FFFFL);
        }
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        userFunction.fire(timer.getTimestamp(), timers, sums);
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {}

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        sums.sendAll(); // the sums are not in state: they go out before the barrier
    }

    /**
     * Moves the waiting scans into their parcels' state, each with a timer at its time (the plain function's path):
     * only when too many wait, to bound memory.
     */
    private void holdWaiting() throws Exception {
        passed.clear();
        for (ArrayList<ScanEvent> scans : waiting.values()) {
            for (ScanEvent e : scans) {
                passed.add(new Passed(e, keyGroups));
            }
        }
        perParcel(true);
        waiting.clear();
        lastBucket = null;
        waitingCount = 0;
    }

    @Override
    public void finish() throws Exception {
        sums.sendAll();
        super.finish();
    }

    /** Sums changes per (window end, district and facility type) until they are sent. */
    private final class DeltaSums implements Collector<DistrictDelta> {
        /**
         * The sums by window end. A hash map, not a sorted one: a scan's changes alternate between its own window and
         * a later one (where its stay becomes stuck), and a hash lookup is the cheaper; {@link #ends} keeps the order.
         */
        private final HashMap<Long, HashMap<String, DistrictDelta>> byWindow = new HashMap<>();
        /** The window ends of {@link #byWindow}, earliest first. */
        private final PriorityQueue<Long> ends = new PriorityQueue<>();
        private final StreamRecord<DistrictDelta> record = new StreamRecord<>(null);
        private int size;

        @Override
        public void collect(DistrictDelta d) {
            HashMap<String, DistrictDelta> sums = byWindow.get(d.windowEnd);
            if (sums == null) {
                sums = new HashMap<>();
                byWindow.put(d.windowEnd, sums);
                ends.add(d.windowEnd);
            }
            DistrictDelta sum = sums.putIfAbsent(d.key, d);
            if (sum != null) {
                sum.add(d);
            } else if (++size > MAX_SUMS) {
                sendAll();
            }
        }

        /** Sends the sums of the windows that {@code watermark} reaches (their end - 1 at or before it). */
        void sendDue(long watermark) {
            while (!ends.isEmpty() && ends.peek() - 1 <= watermark) {
                send(byWindow.remove(ends.poll()));
            }
        }

        void sendAll() {
            for (HashMap<String, DistrictDelta> sums : byWindow.values()) {
                send(sums);
            }
            byWindow.clear();
            ends.clear();
        }

        private void send(HashMap<String, DistrictDelta> sums) {
            for (DistrictDelta d : sums.values()) {
                output.collect(record.replace(d, d.windowEnd - 1));
            }
            size -= sums.size();
        }

        @Override
        public void close() {}
    }
}
