package com.expressmonitor.parcel;

import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.district.DistrictDelta;
import com.expressmonitor.event.ScanEvent;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.util.Collector;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The real parcel tracker, except that its first subtask fails on purpose as a plan says: per task attempt, after
 * applying a number of scans, or while opening (that is, while the job recovers). Plans are kept by name in this
 * JVM, where the mini cluster runs the tasks.
 */
public class FailingParcelTracker extends ParcelTracker {
    private static final long serialVersionUID = 1L;
    private static final Map<String, List<Integer>> PLANS = new ConcurrentHashMap<>();

    /** In a plan: fail while opening, during the recovery from the previous failure. */
    public static final int IN_RECOVERY = 0;
    /** In a plan: do not fail in this attempt. */
    public static final int NEVER = -1;

    private final String plan;
    private transient int applied;
    private transient int failAfter;

    /**
     * @param steps one entry per task attempt (0 is the first run): the number of scans after which subtask 0 fails,
     *     {@link #IN_RECOVERY}, or {@link #NEVER}; attempts beyond the list do not fail
     */
    public FailingParcelTracker(MonitorConfig config, String plan, List<Integer> steps) {
        super(config);
        this.plan = plan;
        PLANS.put(plan, List.copyOf(steps));
    }

    @Override
    public void open(OpenContext openContext) {
        super.open(openContext);
        var task = getRuntimeContext().getTaskInfo();
        List<Integer> steps = PLANS.get(plan);
        failAfter = task.getIndexOfThisSubtask() == 0 && task.getAttemptNumber() < steps.size()
                ? steps.get(task.getAttemptNumber()) : NEVER;
        if (failAfter == IN_RECOVERY) {
            throw new IllegalStateException("injected failure while recovering (attempt " + task.getAttemptNumber() + ")");
        }
        applied = 0;
    }

    @Override
    void applyLoaded(ParcelState s, ScanEvent event, Collector<DistrictDelta> out) throws Exception {
        if (failAfter > 0 && ++applied > failAfter) {
            throw new IllegalStateException("injected failure after " + failAfter + " scans");
        }
        super.applyLoaded(s, event, out);
    }
}
