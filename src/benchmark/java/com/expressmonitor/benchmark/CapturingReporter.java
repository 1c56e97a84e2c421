package com.expressmonitor.benchmark;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/** Keeps the metrics of this JVM's mini cluster in a map, so that the benchmark can read the few it reports. */
public class CapturingReporter implements MetricReporter, MetricReporterFactory {
    static final Map<String, Metric> METRICS = new ConcurrentHashMap<>();

    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        return new CapturingReporter();
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        METRICS.put(group.getMetricIdentifier(name), metric);
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        METRICS.remove(group.getMetricIdentifier(name));
    }

    /** Sum over the metrics whose identifier contains {@code part} and ends with {@code suffix}. */
    static double sum(String part, String suffix) {
        double total = 0;
        for (Map.Entry<String, Metric> e : METRICS.entrySet()) {
            if (!e.getKey().endsWith(suffix) || !e.getKey().contains(part)) {
                continue;
            }
            Metric m = e.getValue();
            if (m instanceof Counter c) {
                total += c.getCount();
            } else if (m instanceof Gauge<?> g && g.getValue() instanceof Number n) {
                total += n.doubleValue();
            }
        }
        return total;
    }
}
