package com.expressmonitor.testing;

import com.expressmonitor.alert.Alert;
import com.expressmonitor.alert.DistrictAlertFunction;
import com.expressmonitor.alert.RuleVersion;
import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.district.DistrictMetrics;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;

import java.util.List;

/**
 * The alert operator as the job runs it (the alert function on its keyed metrics input and the broadcast versions of
 * the rules), under a test harness: feed metrics records, rule versions and watermarks (of both inputs at once).
 */
public final class AlertOperatorHarness extends AbstractStreamOperatorTestHarness<Alert> {
    private final CoBroadcastWithKeyedOperator<String, DistrictMetrics, RuleVersion, Alert> operator;

    private AlertOperatorHarness(CoBroadcastWithKeyedOperator<String, DistrictMetrics, RuleVersion, Alert> operator,
            MockEnvironment environment, int maxParallelism, int parallelism, int subtask) throws Exception {
        super(operator, environment != null ? environment
                : new org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder()
                        .setMaxParallelism(maxParallelism).setParallelism(parallelism).setSubtaskIndex(subtask).build());
        this.operator = operator;
        config.setStatePartitioner(0, (org.apache.flink.api.java.functions.KeySelector<DistrictMetrics, String>)
                DistrictMetrics::key);
        config.setStateKeySerializer(Types.STRING.createSerializer(executionConfig.getSerializerConfig()));
        config.serializeAllConfigs();
    }

    /** One subtask of one, reporting its metrics to {@code environment} (or to nothing, when null). */
    public static AlertOperatorHarness of(MonitorConfig config, MockEnvironment environment) throws Exception {
        return new AlertOperatorHarness(operator(config), environment, 128, 1, 0);
    }

    /** Subtask {@code subtask} of {@code parallelism}, for rescaling. */
    public static AlertOperatorHarness subtask(MonitorConfig config, int parallelism, int subtask) throws Exception {
        return new AlertOperatorHarness(operator(config), null, 128, parallelism, subtask);
    }

    private static CoBroadcastWithKeyedOperator<String, DistrictMetrics, RuleVersion, Alert> operator(
            MonitorConfig config) {
        return new CoBroadcastWithKeyedOperator<>(new DistrictAlertFunction(config),
                List.of(DistrictAlertFunction.RULE_VERSIONS));
    }

    public void metrics(DistrictMetrics m) throws Exception {
        StreamRecord<DistrictMetrics> r = new StreamRecord<>(m, m.windowEnd() - 1);
        operator.setKeyContextElement1(r);
        operator.processElement1(r);
    }

    public void rules(RuleVersion v) throws Exception {
        operator.processElement2(new StreamRecord<>(v));
    }

    /** The same watermark on both inputs. */
    public void watermark(long w) throws Exception {
        operator.processWatermark1(new Watermark(w));
        operator.processWatermark2(new Watermark(w));
    }

    /** A metrics record, then the watermark that closes its window. */
    public void evaluate(DistrictMetrics m) throws Exception {
        metrics(m);
        watermark(m.windowEnd() - 1);
    }

    /** The versions of the rules in the operator's broadcast state. */
    public java.util.SortedSet<Long> versions() throws Exception {
        java.util.SortedSet<Long> versions = new java.util.TreeSet<>();
        for (java.util.Map.Entry<Long, RuleVersion> e : operator.getOperatorStateBackend()
                .getBroadcastState(DistrictAlertFunction.RULE_VERSIONS).immutableEntries()) {
            versions.add(e.getKey());
        }
        return versions;
    }

    /** The alerts emitted so far (and forgets them). */
    public List<Alert> takeAlerts() {
        List<Alert> alerts = extractOutputValues();
        getOutput().clear();
        return alerts;
    }

    /** The metrics records passed on so far, as named from the rules (and forgets them). */
    public List<DistrictMetrics> takeMetrics() {
        java.util.Queue<StreamRecord<DistrictMetrics>> out = getSideOutput(DistrictAlertFunction.METRICS);
        if (out == null) {
            return List.of();
        }
        List<DistrictMetrics> metrics = out.stream().map(StreamRecord::getValue).toList();
        out.clear();
        return metrics;
    }
}
