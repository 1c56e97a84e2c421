package com.expressmonitor.job;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Says on standard error when an embedded run's job fails and restarts from its last checkpoint, so that a run that
 * keeps failing (a broker gone, a record refused) is visible while it retries, not only when it finally gives up.
 */
final class RestartNotices implements AutoCloseable {
    private final JobClient job;
    private final PrintStream err;
    private final ScheduledExecutorService timer;
    private JobStatus last = JobStatus.INITIALIZING;
    private int restarts;

    private RestartNotices(JobClient job, PrintStream err) {
        this.job = job;
        this.err = err;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "restart-notices");
            t.setDaemon(true);
            return t;
        });
    }

    /** Watches {@code job} once a second until closed. */
    static RestartNotices watch(JobClient job, PrintStream err) {
        RestartNotices n = new RestartNotices(job, err);
        n.timer.scheduleWithFixedDelay(n::check, 1, 1, TimeUnit.SECONDS);
        return n;
    }

    private void check() {
        JobStatus status;
        try {
            status = job.getJobStatus().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            return; // finishing: the run's end says the rest
        }
        if (status == JobStatus.RESTARTING && last != JobStatus.RESTARTING) {
            restarts++;
            err.println(ExpressTrafficMonitor.NAME + ": the job failed and restarts from its last checkpoint (restart "
                    + restarts + "); after repeated failures it stops and says why");
        }
        last = status;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
