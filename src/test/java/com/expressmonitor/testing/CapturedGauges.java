package com.expressmonitor.testing;

import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.executiongraph.ExecutionAttemptID;
import org.apache.flink.runtime.metrics.groups.TaskManagerMetricGroup;
import org.apache.flink.runtime.metrics.groups.TaskMetricGroup;
import org.apache.flink.runtime.metrics.util.TestingMetricRegistry;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gauges an operator under test registers, read as a metrics reporter would: each under its name and the
 * labels the job adds ({@code district}, {@code facilityType}, {@code kind}), e.g.
 * {@code backlog{district=330482,facilityType=STATION}}. Give {@link #environment()} to the test harness.
 */
public final class CapturedGauges {
    private static final Set<String> LABELS = Set.of("<district>", "<facilityType>", "<kind>");

    private final Map<String, Gauge<?>> gauges = new ConcurrentHashMap<>();
    private final TaskMetricGroup task;

    public CapturedGauges() {
        TestingMetricRegistry registry = TestingMetricRegistry.builder()
                .setRegisterConsumer((metric, name, group) -> {
                    if (metric instanceof Gauge<?> g) {
                        gauges.put(id(name, group.getAllVariables()), g);
                    }
                })
                .build();
        task = TaskManagerMetricGroup.createTaskManagerMetricGroup(registry, "localhost", ResourceID.generate())
                .addJob(new JobID(), "test").addTask(ExecutionAttemptID.randomId(), "task");
    }

    private static String id(String name, Map<String, String> variables) {
        Map<String, String> labels = new TreeMap<>();
        variables.forEach((k, v) -> {
            if (LABELS.contains(k)) {
                labels.put(k.substring(1, k.length() - 1), v);
            }
        });
        StringBuilder b = new StringBuilder(name);
        if (!labels.isEmpty()) {
            b.append('{');
            labels.forEach((k, v) -> b.append(b.charAt(b.length() - 1) == '{' ? "" : ",").append(k).append('=').append(v));
            b.append('}');
        }
        return b.toString();
    }

    /** An environment whose task metric group reports here. */
    public MockEnvironment environment() {
        return new MockEnvironmentBuilder().setMetricGroup(task).build();
    }

    /** The value of the gauge with this id now, or null when no such gauge was registered. */
    public Object value(String id) {
        Gauge<?> g = gauges.get(id);
        return g == null ? null : g.getValue();
    }

    /** Every gauge registered so far, by id. */
    public Set<String> ids() {
        return new TreeSet<>(gauges.keySet());
    }
}
