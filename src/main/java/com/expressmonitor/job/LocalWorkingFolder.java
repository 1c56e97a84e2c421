package com.expressmonitor.job;

import com.expressmonitor.io.Folders;
import com.expressmonitor.io.StartupCheckException;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The folder of one embedded run's local files (the mini cluster's working folder: RocksDB's files, blobs, local
 * state), and its removal however the run ends: when the job ends, and when the process is stopped (Ctrl-C, a
 * {@code kill}), which used to leave it behind.
 *
 * <p>Flink deletes its working folder when the embedded cluster closes after the job. A signal ends the process
 * without that: the folder stayed in the temporary folder with the whole RocksDB state of the run (gigabytes for a
 * live run of a day), once per stop. So a run gets a folder of its own ({@code process.working-dir}, in the first of
 * {@code io.tmp.dirs} or the JVM's temporary folder), and a shutdown hook cancels the job, waits for it to end, and
 * deletes that folder. A configured {@code process.working-dir} (or its JobManager or TaskManager variant) is the
 * user's to manage: it is left as configured, and only the job is cancelled on a signal.
 */
final class LocalWorkingFolder {
    /** Flink's options that place the working folder: set by the user, the folder is theirs. */
    static final List<String> PLACED_BY = List.of("process.working-dir", "process.jobmanager.working-dir",
            "process.taskmanager.working-dir");
    /** How long a stop waits for the cancelled job to end: less than what scripts wait before killing. */
    static final Duration CANCEL_WAIT = Duration.ofSeconds(20);
    /** How long the cluster may take, after the job ends, to delete its own folder within ours. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    /** This run's folder, or null when the user placed the working folder. */
    private final Path folder;
    private final PrintStream err;
    private volatile JobClient job;
    private volatile String afterStop = "";
    /** Set when the process is stopping: the job's end is then the stop's doing, not a failure. */
    private volatile boolean stopping;
    private Thread hook;

    /** The run ended because the process is stopping (Ctrl-C, a {@code kill}): nothing to report as a failure. */
    static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super("stopped", null, false, false);
        }
    }

    private LocalWorkingFolder(Path folder, PrintStream err) {
        this.folder = folder;
        this.err = err;
    }

    /**
     * A folder of its own for the run about to start, set as {@code process.working-dir} in {@code flink}, unless the
     * {@code flink:} section places the working folder itself.
     */
    static LocalWorkingFolder create(Configuration flink, Map<String, String> flinkSection, PrintStream err) {
        if (PLACED_BY.stream().anyMatch(flinkSection::containsKey)) {
            return new LocalWorkingFolder(null, err);
        }
        String tmpDirs = flinkSection.get("io.tmp.dirs");
        Path parent = Path.of(tmpDirs != null && !tmpDirs.isBlank() ? tmpDirs.split("[,:]")[0].trim()
                : System.getProperty("java.io.tmpdir"));
        Path folder;
        try {
            folder = Files.createTempDirectory(Files.createDirectories(parent), "express-traffic-monitor-");
        } catch (IOException e) {
            throw new StartupCheckException(2, "cannot create a folder for the run's local files in " + parent + ": "
                    + (e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.toString())
                    + "; set flink.io.tmp.dirs to a folder you can write", e);
        }
        flink.setString("process.working-dir", folder.toString());
        return new LocalWorkingFolder(folder, err);
    }

    /** The run's folder, or null when the user placed the working folder. */
    Path folder() {
        return folder;
    }

    /** Whether the process is stopping, which ends the job. */
    boolean stopping() {
        return stopping;
    }

    /**
     * From now until {@link #ended}, a stop of the process cancels {@code running} and removes the folder; the line
     * that says so ends with {@code afterStop} (what the stop leaves the user, or empty).
     */
    void watch(JobClient running, String afterStop) {
        this.job = running;
        this.afterStop = afterStop;
        hook = new Thread(this::stop, "express-traffic-monitor-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * The run ended (done, failed, or never started): the hook is removed and the folder deleted once the cluster has
     * deleted its own within it. Does nothing while the process is stopping: the hook does it then.
     */
    void ended() {
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException stopping) {
                return;
            }
        }
        removeFolder();
    }

    /** The shutdown hook: cancels the job if it still runs, waits for it, and removes the folder. */
    private void stop() {
        stopping = true;
        JobClient running = job;
        try {
            if (!running.getJobExecutionResult().isDone()) {
                err.println(ExpressTrafficMonitor.NAME + ": stopping: cancelling the job"
                        + (folder == null ? "" : " and removing its local files in " + folder) + afterStop);
                err.flush();
                running.cancel().get(CANCEL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                running.getJobExecutionResult().get(CANCEL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (Exception e) {
            // A cancelled job's result is an error, and a job that ends otherwise meanwhile is as good: go on.
        }
        removeFolder();
    }

    private void removeFolder() {
        if (folder == null) {
            return;
        }
        // The cluster closes after the job has ended, deleting its folder within ours; give it that time first.
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        while (System.nanoTime() < deadline && !isEmpty(folder)) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                Folders.deleteTree(folder);
                return;
            } catch (IOException e) {
                // Files vanishing while listed (the cluster still deleting): try again.
            }
        }
        err.println(ExpressTrafficMonitor.NAME + ": could not remove the run's local files in " + folder
                + "; delete the folder yourself");
    }

    private static boolean isEmpty(Path dir) {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            return true; // gone or unreadable: deleting it will say
        }
    }
}
