package com.expressmonitor.alert;

import com.expressmonitor.config.ConfigException;
import com.expressmonitor.config.ConfigLoader;
import com.expressmonitor.config.LocalTimes;
import com.expressmonitor.config.RuleUpdate;
import com.expressmonitor.config.Rules;
import com.expressmonitor.district.DistrictMetrics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.ZoneOffset;
import java.util.List;

/**
 * Decides every change of the alert rules, in one place (parallelism 1), and tells the alert operator which windows
 * it applies to.
 *
 * <p>Inputs: the rule updates (first input; from the control topic, or none) and the district metrics stream, of
 * which it uses only the watermark (second input; the stream reaching it carries no records). Output: each new
 * version of the rules with the instant from which it applies ({@link RuleVersion}), broadcast to the alert
 * operator, and the answer to every update ({@link RuleResult}, side output {@link #RESULTS}).
 *
 * <p>When an update arrives while the job runs, its new rules apply to every window that the metrics watermark has
 * not passed yet: the windows starting at or after the start of the window containing watermark + 1 ms. Stamping
 * that instant here, once, gives every alert subtask the same answer; the alert operator evaluates a window only once
 * this operator's watermark, which follows each version it sends, has passed the window's end, so no window can be
 * evaluated before the version meant for it has arrived. An update of a rules-updates file applies from the event time
 * it names, so a replay uses the rules of each window whatever the speed of the run. Versions never take effect
 * earlier than the version before them.
 *
 * <p>At the first start the configuration file's rules are version 0 and the file's timed updates follow; after a
 * restore the rules in force come from the checkpoint or savepoint, unless the job was started with the request to
 * put the file's rules back (once per submission: restarts after failures of that same job do not repeat it).
 *
 * <p>Watermarks of the update input are ignored, and idleness of the metrics input is not passed on: the alert
 * operator's watermark must wait for this one, which only ever says how far the metrics have got.
 */
public final class RuleCoordinator extends AbstractStreamOperator<RuleVersion>
        implements TwoInputStreamOperator<RuleUpdateRecord, DistrictMetrics, RuleVersion> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RuleCoordinator.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The answers to the rule updates. */
    public static final OutputTag<RuleResult> RESULTS =
            new OutputTag<>("rule-update-results", TypeInformation.of(RuleResult.class));
    /** The source named in the results of the configuration file's rules. */
    public static final String CONFIGURATION = "configuration";

    private final Rules fileRules;
    private final List<RuleUpdate> timed;
    private final String timedFile;
    private final boolean resetToFile;
    private final long windowSize;
    private final int offsetSeconds;

    private transient ListState<RulesInForce> checkpointed;
    /** The rules in force; null until the first start has put the file's in force. */
    private transient RulesInForce inForce;
    private transient Rules inForceRules;
    private transient boolean started;
    private transient long watermark;
    private transient Counter applied;
    private transient Counter rejected;
    private transient Counter ignored;
    private transient volatile long versionInForce;

    /**
     * @param fileRules the configuration file's rules (version 0 of a new job)
     * @param timed the updates of a rules-updates file, each with its {@code from}; checked already
     * @param timedFile the name of that file, for the results' sources
     * @param resetToFile put the file's rules back in force when restored (as a new version)
     */
    public RuleCoordinator(Rules fileRules, List<RuleUpdate> timed, String timedFile, boolean resetToFile,
            long windowSize, int offsetSeconds) {
        this.fileRules = fileRules;
        this.timed = List.copyOf(timed);
        this.timedFile = timedFile;
        this.resetToFile = resetToFile;
        this.windowSize = windowSize;
        this.offsetSeconds = offsetSeconds;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        checkpointed = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("rules-in-force", RulesInForce.class));
        inForce = null;
        for (RulesInForce r : checkpointed.get()) {
            inForce = r;
        }
        started = false;
        watermark = Long.MIN_VALUE;
    }

    @Override
    public void open() throws Exception {
        super.open();
        MetricGroup group = getMetricGroup().addGroup("expressMonitor");
        applied = group.counter("ruleUpdatesApplied");
        rejected = group.counter("ruleUpdatesRejected");
        ignored = group.counter("ruleUpdatesIgnored");
        versionInForce = inForce == null ? 0 : inForce.version;
        group.gauge("rulesVersionApplied", (Gauge<Long>) () -> versionInForce);
        // Start at once, not only with the first update or watermark: a job without traffic yet still reports the
        // rules it starts with.
        getProcessingTimeService().registerTimer(getProcessingTimeService().getCurrentProcessingTime(), t -> start());
    }

    /**
     * What happens once, before anything else is passed on (in particular before the first watermark, so that the
     * alert operator has every version it needs before it evaluates a window): the rules of a first start, a
     * requested return to the file's rules, the file's timed updates.
     */
    private void start() {
        if (started) {
            return;
        }
        started = true;
        String job = getRuntimeContext().getJobInfo().getJobId().toString();
        if (inForce == null) {
            inForce = new RulesInForce(0, fileRules.json(), Long.MIN_VALUE, resetToFile ? job : null);
            inForceRules = fileRules;
            broadcast();
            answer(0L, RuleStatus.APPLIED, "the rules of the configuration file, in force from the start",
                    Long.MIN_VALUE, CONFIGURATION);
        } else {
            inForceRules = ConfigLoader.rulesFromJson(inForce.rules);
            if (resetToFile && !job.equals(inForce.resetByJob)) {
                long version = inForce.version + 1;
                long requested = liveStart();
                inForce = new RulesInForce(version, fileRules.json(), effectiveFrom(requested), job);
                inForceRules = fileRules;
                broadcast();
                answer(version, RuleStatus.APPLIED, "the rules of the configuration file, put back in force on "
                        + "request (--rules-reset-to-file); " + inEffect(requested, inForce.effectiveFrom),
                        inForce.effectiveFrom, CONFIGURATION);
            }
        }
        for (int i = 0; i < timed.size(); i++) {
            RuleUpdate u = timed.get(i);
            decide(u, u.from(), "file:" + timedFile + "[" + i + "]");
        }
    }

    @Override
    public void processElement1(StreamRecord<RuleUpdateRecord> element) {
        start();
        RuleUpdateRecord r = element.getValue();
        RuleUpdate update;
        try {
            if (r.text() == null) {
                throw ConfigException.withMessage("the update is not UTF-8 text");
            }
            update = RuleUpdate.parseLive(r.text());
        } catch (ConfigException e) {
            reject(versionIn(r.text()), e.getMessage(), r.source());
            return;
        }
        decide(update, liveStart(), r.source());
    }

    @Override
    public void processElement2(StreamRecord<DistrictMetrics> element) {
        start(); // the metrics reach this operator for their watermark only; there are no records
    }

    @Override
    public void processWatermark1(Watermark mark) {
        start(); // the time of the updates' input says nothing about how far the windows have got
    }

    @Override
    public void processWatermark2(Watermark mark) throws Exception {
        start();
        watermark = mark.getTimestamp();
        processWatermark(mark);
    }

    @Override
    protected void processWatermarkStatus(WatermarkStatus status, int index) {
        // Never idle downstream: the alert operator must keep waiting for this watermark, which follows every version
        // sent, even while the metrics input is idle (when every metrics channel goes idle, the input passes on the
        // highest watermark among them first, so no window is held back).
        start();
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        checkpointed.update(inForce == null ? List.of() : List.of(inForce));
    }

    /** The first window start a version sent now can apply to: that of the window holding watermark + 1 ms. */
    private long liveStart() {
        if (watermark == Long.MIN_VALUE || watermark == Long.MAX_VALUE) {
            return watermark; // nothing evaluated yet / every window evaluated (the end of a bounded input)
        }
        return LocalTimes.windowStart(watermark + 1, windowSize, offsetSeconds);
    }

    /** Never earlier than the version in force: versions take effect in order. */
    private long effectiveFrom(long requested) {
        return inForce == null ? requested : Math.max(requested, inForce.effectiveFrom);
    }

    private void decide(RuleUpdate update, long requestedFrom, String source) {
        long version = update.version();
        if (version <= inForce.version) {
            ignored.inc();
            answer(version, RuleStatus.IGNORED, "version " + version + " is not newer than version " + inForce.version
                    + " in force; ignored", null, source);
            return;
        }
        Rules next;
        try {
            next = update.applyTo(inForceRules);
        } catch (ConfigException e) {
            reject(version, e.getMessage(), source);
            return;
        }
        long from = effectiveFrom(requestedFrom);
        inForce = new RulesInForce(version, next.json(), from, inForce.resetByJob);
        inForceRules = next;
        broadcast();
        applied.inc();
        answer(version, RuleStatus.APPLIED, inEffect(requestedFrom, from), from, source);
    }

    private void reject(Long version, String why, String source) {
        rejected.inc();
        answer(version, RuleStatus.REJECTED, why, null, source);
    }

    /** The detail of an applied version: which windows use it. */
    private String inEffect(long requested, long from) {
        if (requested == Long.MIN_VALUE) {
            // Before the first watermark since the start: the windows evaluated from now on, whatever their time.
            return "in force for every window not evaluated yet";
        }
        if (from == Long.MAX_VALUE) {
            return "in force after the last window of the input: no window uses it";
        }
        return "in force for the windows starting at or after "
                + LocalTimes.format(from, ZoneOffset.ofTotalSeconds(offsetSeconds));
    }

    private void broadcast() {
        versionInForce = inForce.version;
        output.collect(new StreamRecord<>(new RuleVersion(inForce.version, inForce.effectiveFrom, inForce.rules)));
    }

    private void answer(Long version, RuleStatus status, String detail, Long effectiveFrom, String source) {
        RuleResult result = new RuleResult(version, status, detail, effectiveFrom, System.currentTimeMillis(), source,
                inForce.version, inForce.rules);
        if (status == RuleStatus.APPLIED) {
            LOG.info("Rules version {} from {}: {}", version, source, detail);
        } else {
            LOG.warn("Rule update {} from {} {}: {}", version == null ? "without a version" : "version " + version,
                    source, status, detail);
        }
        output.collect(RESULTS, new StreamRecord<>(result));
    }

    /** The version of an update that could not be read, when it has one, for its answer. */
    private static Long versionIn(String text) {
        if (text == null) {
            return null;
        }
        try {
            JsonNode v = JSON.readTree(text).path("version");
            return v.isIntegralNumber() && v.canConvertToLong() ? v.asLong() : null;
        } catch (Exception e) {
            return null;
        }
    }
}
