package com.expressmonitor.testing;

import com.expressmonitor.alert.RuleCoordinator;
import com.expressmonitor.alert.RuleResult;
import com.expressmonitor.alert.RuleUpdateRecord;
import com.expressmonitor.alert.RuleVersion;

import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

/** The rules coordinator under a test harness, as a subtask of the job {@code job}. */
public final class CoordinatorHarness extends AbstractStreamOperatorTestHarness<RuleVersion> {
    private final RuleCoordinator coordinator;

    public CoordinatorHarness(RuleCoordinator coordinator, JobID job) throws Exception {
        super(coordinator, new MockEnvironmentBuilder().setJobID(job).setMaxParallelism(1).build());
        this.coordinator = coordinator;
    }

    /** An update as read from the control topic. */
    public void update(String text, String source) throws Exception {
        coordinator.processElement1(new StreamRecord<>(new RuleUpdateRecord(text, source)));
    }

    /** The metrics' watermark. */
    public void watermark(long w) throws Exception {
        coordinator.processWatermark2(new Watermark(w));
    }

    /** What the coordinator sent downstream so far, in order: versions as themselves, watermarks as "watermark T". */
    public List<Object> takeOutput() {
        List<Object> out = new ArrayList<>();
        for (Object o : getOutput()) {
            out.add(o instanceof StreamRecord<?> r ? r.getValue() : o instanceof Watermark w
                    ? "watermark " + w.getTimestamp() : o);
        }
        getOutput().clear();
        return out;
    }

    /** The results so far, without their wall-clock time (and forgets them). */
    public List<RuleResult> takeResults() {
        Queue<StreamRecord<RuleResult>> q = getSideOutput(RuleCoordinator.RESULTS);
        if (q == null) {
            return List.of();
        }
        List<RuleResult> results = q.stream().map(r -> {
            RuleResult x = r.getValue();
            return new RuleResult(x.version(), x.status(), x.detail(), x.effectiveFrom(), 0, x.source(),
                    x.rulesVersion(), x.rules());
        }).toList();
        q.clear();
        return results;
    }
}
