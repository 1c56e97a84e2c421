package com.expressmonitor.job;

import com.expressmonitor.alert.DistrictAlertFunction;
import com.expressmonitor.config.LocalTimes;
import com.expressmonitor.district.DistrictMetricsFunction;
import com.expressmonitor.district.DistrictSummaryAccumulator;
import com.expressmonitor.event.ScanClassifier;

import org.apache.flink.core.execution.JobClient;

import java.io.PrintStream;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Prints a line on standard error every few seconds while a job runs: records read and the rate since the last
 * line, how far event time has got, and the windows and alerts emitted so far. It reads the job's accumulators,
 * which the task managers report with their heartbeats, so the figures trail the job by up to a heartbeat.
 */
final class ProgressReporter implements AutoCloseable {
    /** Accumulator of the greatest valid event time read (epoch ms). */
    static final String ACC_MAX_EVENT_TIME = ScanClassifier.ACC_MAX_EVENT_TIME;
    static final long INTERVAL_SECONDS = 5;

    private final JobClient job;
    private final PrintStream err;
    private final ZoneOffset zone;
    private final ScheduledExecutorService timer;
    private final long started = System.nanoTime();
    private long lastRecords;
    private long lastNanos = started;

    private ProgressReporter(JobClient job, PrintStream err, ZoneOffset zone) {
        this.job = job;
        this.err = err;
        this.zone = zone;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "progress");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts reporting on {@code job}; the first line comes after {@link #INTERVAL_SECONDS}. */
    static ProgressReporter start(JobClient job, PrintStream err, ZoneOffset zone) {
        ProgressReporter p = new ProgressReporter(job, err, zone);
        p.timer.scheduleWithFixedDelay(p::report, INTERVAL_SECONDS, INTERVAL_SECONDS, TimeUnit.SECONDS);
        return p;
    }

    private void report() {
        Map<String, Object> acc;
        try {
            acc = job.getAccumulators().get(INTERVAL_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            return; // the job is finishing or the figures are late: the next line will tell
        }
        long now = System.nanoTime();
        err.println(line(acc, lastRecords, (now - lastNanos) / 1e9, (now - started) / 1e9));
        lastRecords = number(acc.get(ScanClassifier.ACC_INPUT));
        lastNanos = now;
    }

    /**
     * One progress line, e.g. {@code [0:35] 1,234,567 records read (41,000/s), event time 2026-11-11 21:40,
     * 812 windows, 14 alerts}.
     */
    String line(Map<String, Object> acc, long recordsBefore, double secondsSince, double elapsed) {
        long records = number(acc.get(ScanClassifier.ACC_INPUT));
        long rate = secondsSince > 0 ? Math.round((records - recordsBefore) / secondsSince) : 0;
        String position = eventTimePosition(acc);
        long e = Math.round(elapsed);
        return String.format(Locale.ROOT, "[%d:%02d] %,d records read (%,d/s)%s, %s, %s", e / 60, e % 60, records,
                rate, position.isEmpty() ? "" : ", " + position,
                RunSummary.count(number(acc.get(DistrictMetricsFunction.ACC_METRICS)), "window", "windows"),
                RunSummary.count(number(acc.get(DistrictAlertFunction.ACC_ALERTS)), "alert", "alerts"));
    }

    /** The greatest event time read, or else the end of the latest window written; local time of the windows' zone. */
    private String eventTimePosition(Map<String, Object> acc) {
        Object max = acc.get(ACC_MAX_EVENT_TIME);
        if (max instanceof Number n && n.longValue() > Long.MIN_VALUE) {
            return "event time " + local(n.longValue());
        }
        Object districts = acc.get(DistrictMetricsFunction.ACC_DISTRICTS);
        long latest = Long.MIN_VALUE;
        if (districts instanceof Map<?, ?> m) {
            for (Object t : m.values()) {
                if (t instanceof DistrictSummaryAccumulator.Totals totals) {
                    latest = Math.max(latest, totals.lastWindowEnd);
                }
            }
        }
        return latest == Long.MIN_VALUE ? "" : "windows closed to " + local(latest);
    }

    private String local(long millis) {
        String t = LocalTimes.format(millis, zone);
        return t.substring(0, 10) + " " + t.substring(11, 16);
    }

    private static long number(Object v) {
        return v instanceof Number n ? n.longValue() : 0;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
