package com.expressmonitor.tools;

import com.expressmonitor.io.Folders;
import com.expressmonitor.tools.FlinkRest.Refused;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The operator's commands for the monitoring job on a Flink session cluster, through the cluster's REST API (so
 * they work the same on the local cluster of {@code jobs/flink-cluster.sh} and on any Flink 2.2 cluster): submit,
 * list, status, savepoint, stop with a savepoint, resume from a savepoint or retained checkpoint, cancel, and the
 * job's exceptions. Each command says what it did; a refusal is printed with the cluster's own message and ends
 * with status 1 (2 for a wrong command line).
 *
 * <p>{@code jobs/flink-job.sh} runs it; see its header for the commands.
 */
public final class FlinkJobs {
    static final String ENTRY_CLASS = "com.expressmonitor.job.ExpressTrafficMonitor";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private final FlinkRest rest;
    private final Path stateDir;
    private final Path jar;
    private final PrintStream out;

    FlinkJobs(FlinkRest rest, Path stateDir, Path jar, PrintStream out) {
        this.rest = rest;
        this.stateDir = stateDir;
        this.jar = jar;
        this.out = out;
    }

    /** A wrong command line: printed with the usage hint, status 2. */
    static final class Usage extends Exception {
        private static final long serialVersionUID = 1L;

        Usage(String message) {
            super(message);
        }
    }

    public static void main(String[] args) {
        List<String> a = new ArrayList<>(List.of(args));
        try {
            String restUrl = option(a, "--rest", System.getenv().getOrDefault("FLINK_REST", "http://localhost:8081"));
            String state = option(a, "--state-dir", System.getProperty("java.io.tmpdir") + "/express-monitor-flink");
            String jarPath = option(a, "--jar", null);
            new FlinkJobs(new FlinkRest(restUrl), Path.of(state), jarPath == null ? null : Path.of(jarPath), System.out)
                    .run(a);
        } catch (Usage e) {
            System.err.println("flink-job: " + e.getMessage());
            System.exit(2);
        } catch (Refused e) {
            System.err.println("flink-job: " + e.getMessage());
            System.exit(1);
        }
    }

    void run(List<String> args) throws Usage, Refused {
        if (args.isEmpty()) {
            throw new Usage("no command; use submit, list, status, savepoint, stop, resume, cancel or exceptions");
        }
        String command = args.remove(0);
        switch (command) {
            case "submit" -> submit(args, false);
            case "resume" -> submit(args, true);
            case "list" -> list();
            case "status" -> status(jobId(args));
            case "savepoint" -> savepoint(jobId(args), false, false);
            case "stop" -> {
                boolean drain = args.remove("--drain");
                savepoint(jobId(args), true, drain);
            }
            case "cancel" -> cancel(jobId(args));
            case "exceptions" -> exceptions(jobId(args));
            default -> throw new Usage("unknown command '" + command
                    + "'; use submit, list, status, savepoint, stop, resume, cancel or exceptions");
        }
    }

    // ------------------------------------------------------------------------------------------------ submit

    /**
     * Submits the job jar. Options before the monitor's own: {@code --parallelism N}, {@code --from PATH} (a savepoint
     * or retained checkpoint), {@code --allow-non-restored-state}. With {@code resume}, the state to start from
     * defaults to the newest savepoint or retained checkpoint of the cluster and the monitor's options to those of
     * the last submission.
     */
    private void submit(List<String> args, boolean resume) throws Usage, Refused {
        String parallelism = option(args, "--parallelism", null);
        String from = option(args, "--from", null);
        boolean allowNonRestored = args.remove("--allow-non-restored-state");
        boolean handOver = args.remove("--claim");
        if (parallelism != null && !parallelism.matches("[1-9]\\d{0,4}")) {
            throw new Usage("--parallelism must be a whole number of at least 1, got '" + parallelism + "'");
        }
        if (jar == null || !Files.isRegularFile(jar)) {
            throw new Usage("no job jar" + (jar == null ? "" : " at " + jar) + "; build it with: mvn -B -q package -DskipTests");
        }
        List<String> monitorArgs = absolutePaths(args);
        if (resume) {
            if (from == null || from.equals("latest")) {
                from = newestRetainedState().orElseThrow(() -> new Refused("found no savepoint or retained checkpoint "
                        + "in the cluster's directories; give one with --from PATH"));
            }
            if (monitorArgs.isEmpty()) {
                monitorArgs = lastSubmission().orElseThrow(() -> new Usage("no earlier submission is recorded in "
                        + stateDir + "; give the monitor's options after the resume options"));
            }
        } else if (from != null && from.equals("latest")) {
            throw new Usage("--from latest is for resume; give a path to submit from a savepoint");
        }
        if (handOver && from == null) {
            throw new Usage("--claim is for a restore; give --from PATH with it");
        }
        int p = parallelism != null ? Integer.parseInt(parallelism) : clusterParallelism();
        Restore restore = from == null ? null : restore(from, claimReason(), handOver, Instant.now());
        try {
            submitJar(monitorArgs, p, from, restore, allowNonRestored);
        } catch (Refused e) {
            if (restore != null && restore.copy() != null) {
                deleteQuietly(restore.copy()); // the copy served this submission only
            }
            throw e;
        }
    }

    private void submitJar(List<String> monitorArgs, int p, String from, Restore restore, boolean allowNonRestored)
            throws Refused {
        String jarId = rest.uploadJar(jar);
        ObjectNode body = FlinkRest.object();
        body.put("entryClass", ENTRY_CLASS);
        ArrayNode programArgs = body.putArray("programArgsList");
        monitorArgs.forEach(programArgs::add);
        body.put("parallelism", p);
        if (restore != null) {
            body.put("savepointPath", restore.path());
            body.put("allowNonRestoredState", allowNonRestored);
            body.put("claimMode", restore.claim() ? "CLAIM" : "NO_CLAIM");
        }
        String jobId;
        try {
            jobId = rest.post("/jars/" + jarId + "/run", body).path("jobid").asText();
        } catch (Refused e) {
            throw new Refused("the cluster refused the job: " + e.getMessage());
        } finally {
            try {
                rest.delete("/jars/" + jarId); // the cluster keeps the job's classes; the upload is no longer needed
            } catch (Refused ignored) {
                // leaving an uploaded jar behind is harmless
            }
        }
        record(jobId, monitorArgs);
        String state = awaitStarted(jobId);
        out.println("submitted job " + jobId + " at parallelism " + p + (from == null ? "" : ", restored from " + from)
                + ": " + state);
        if (restore != null && restore.note() != null) {
            out.println("  " + restore.note());
        }
        out.println("  options: " + String.join(" ", monitorArgs));
        out.println("  web UI:  " + rest.base() + "/#/job/running/" + jobId);
        if (state.equals("FAILED")) {
            throw new Refused("job " + jobId + " failed at start: " + rootCause(jobId));
        }
    }

    /**
     * What a submission restores from, and how: {@code path} goes to the cluster, {@code claim} says whether Flink takes
     * the snapshot over, {@code copy} is a copy made for this restore (null when none), {@code note} a line for the
     * operator (null when there is nothing to say).
     */
    record Restore(String path, boolean claim, Path copy, String note) {}

    /**
     * Why restores on this cluster must claim their snapshot, or null when they need not: the changelog state backend
     * cannot restore otherwise (the job would fail at every checkpoint after the restore), and a cluster configured
     * with {@code execution.state-recovery.claim-mode: CLAIM} asks for it.
     */
    private String claimReason() throws Refused {
        if ("true".equalsIgnoreCase(trimmed(clusterOption("state.changelog.enabled")))) {
            return "the cluster runs the changelog state backend, whose restores claim their snapshot";
        }
        if ("CLAIM".equalsIgnoreCase(trimmed(clusterOption("execution.state-recovery.claim-mode")))) {
            return "the cluster restores in CLAIM mode (execution.state-recovery.claim-mode)";
        }
        return null;
    }

    private static String trimmed(String s) {
        return s == null ? null : s.trim();
    }

    /**
     * How to restore from {@code from}. Where restores must claim their snapshot ({@code reason} not null), Flink owns
     * what it restored from and deletes it once newer checkpoints replace it: a retained checkpoint is handed over
     * (that is what it is for), but a savepoint is what an operator keeps to go back to, so a savepoint on this
     * machine's file system is copied beside itself and the copy restored; one elsewhere is refused unless
     * {@code handOver} ({@code --claim}) says to give it to Flink.
     */
    static Restore restore(String from, String reason, boolean handOver, Instant now) throws Refused {
        if (reason == null && !handOver) {
            return new Restore(from, false, null, null);
        }
        String handedOver = "claimed: " + from + " now belongs to Flink, which deletes it once newer checkpoints "
                + "replace it" + (reason == null ? "" : " (" + reason + ")");
        Path local = localPath(from);
        if (local != null && String.valueOf(local.getFileName()).equals("_metadata")) {
            local = local.getParent(); // Flink takes a snapshot's folder or its metadata file
        }
        String name = local != null ? String.valueOf(local.getFileName())
                : from.replaceAll("/+$", "").replaceAll("/_metadata$", "").replaceAll(".*/", "");
        if (handOver || !name.startsWith("savepoint-")) {
            return new Restore(from, true, null, handedOver);
        }
        if (local == null) {
            throw new Refused(reason + ", which would hand savepoint " + from + " to Flink to delete once newer "
                    + "checkpoints replace it; copy it and resume from the copy, or add --claim to hand it over");
        }
        if (!Files.isRegularFile(local.resolve("_metadata"))) {
            return new Restore(from, true, null, null); // not a savepoint: the cluster's refusal names it
        }
        Path copy = local.resolveSibling(name + ".claimed-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                .withZone(ZoneId.systemDefault()).format(now));
        try (Stream<Path> files = Files.walk(local)) {
            for (Path f : files.sorted().toList()) {
                Path target = copy.resolve(local.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        } catch (IOException e) {
            deleteQuietly(copy);
            throw new Refused("cannot copy savepoint " + from + " for a restore that claims it (" + reason + "): "
                    + e.getMessage() + "; free space beside it, or add --claim to hand the savepoint itself to Flink");
        }
        return new Restore(copy.toUri().toString(), true, copy, "claimed: a copy, " + copy.toUri() + " (" + reason
                + "); the savepoint stays as it was");
    }

    /** The local path of a {@code file:} URI or an absolute path, or null for another file system. */
    private static Path localPath(String location) {
        if (location.startsWith("file:")) {
            return Path.of(URI.create(location).getPath());
        }
        return location.startsWith("/") ? Path.of(location) : null;
    }

    private static void deleteQuietly(Path dir) {
        try {
            Folders.deleteTree(dir);
        } catch (IOException ignored) {
            // a copy left behind takes space but does no harm
        }
    }

    /** The parallelism the cluster is configured with, so that every submission runs at it unless told otherwise. */
    private int clusterParallelism() throws Refused {
        String p = clusterOption("parallelism.default");
        try {
            return p == null ? 1 : Integer.parseInt(p.trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private String clusterOption(String key) throws Refused {
        for (JsonNode entry : rest.get("/jobmanager/config")) {
            if (key.equals(entry.path("key").asText())) {
                return entry.path("value").asText();
            }
        }
        return null;
    }

    /** Waits up to a minute for the job to run (or fail); returns its state. */
    private String awaitStarted(String jobId) throws Refused {
        String state = "CREATED";
        for (int i = 0; i < 120; i++) {
            JsonNode job = rest.get("/jobs/" + jobId);
            state = job.path("state").asText();
            boolean allRunning = state.equals("RUNNING");
            for (JsonNode v : job.path("vertices")) {
                allRunning &= v.path("status").asText().equals("RUNNING") || v.path("status").asText().equals("FINISHED");
            }
            if (allRunning || terminal(state)) {
                return state;
            }
            sleep(500);
        }
        return state;
    }

    /** Paths in the monitor's options are made absolute: the job's main() runs in the JobManager, not here. */
    static List<String> absolutePaths(List<String> args) {
        List<String> out = new ArrayList<>(args);
        for (int i = 0; i < out.size() - 1; i++) {
            String key = out.get(i);
            String value = out.get(i + 1);
            if (key.equals("--config") || key.equals("--facilities") || key.equals("--rules-updates")) {
                out.set(i + 1, Path.of(value).toAbsolutePath().normalize().toString());
            } else if (key.equals("--source") && value.startsWith("file:") && !value.contains("://")) {
                out.set(i + 1, "file:" + Path.of(value.substring(5)).toAbsolutePath().normalize());
            } else if (key.equals("--sink") && value.startsWith("dir:") && !value.contains("://")) {
                out.set(i + 1, "dir:" + Path.of(value.substring(4)).toAbsolutePath().normalize());
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------- savepoints

    /** Triggers a savepoint (the job runs on) or stops the job with one; prints where it is. */
    private void savepoint(String jobId, boolean stop, boolean drain) throws Refused {
        ObjectNode body = FlinkRest.object();
        String path = stop ? "/jobs/" + jobId + "/stop" : "/jobs/" + jobId + "/savepoints";
        if (stop) {
            body.put("drain", drain);
        } else {
            body.put("cancel-job", false);
        }
        String trigger = rest.post(path, body).path("request-id").asText();
        out.println((stop ? "stopping job " + jobId + " with a savepoint" + (drain ? " (draining: every window is "
                + "closed and emitted first)" : "") : "taking a savepoint of job " + jobId) + " ...");
        for (int i = 0; i < 600; i++) {
            JsonNode answer = rest.get("/jobs/" + jobId + "/savepoints/" + trigger);
            if (answer.path("status").path("id").asText().equals("COMPLETED")) {
                JsonNode operation = answer.path("operation");
                if (operation.has("failure-cause")) {
                    String cause = FlinkRest.innermostCause(operation.path("failure-cause").path("stack-trace")
                            .asText(operation.path("failure-cause").path("class").asText("unknown failure")));
                    throw new Refused("the savepoint of job " + jobId + " failed: " + cause
                            + (stop ? " (the job keeps running)" : ""));
                }
                String location = operation.path("location").asText();
                out.println((stop ? "stopped job " + jobId + "; savepoint: " : "savepoint of job " + jobId + ": ")
                        + location);
                if (stop) {
                    out.println("  resume with: jobs/flink-job.sh resume --from " + location + " [--parallelism N]");
                }
                return;
            }
            sleep(500);
        }
        throw new Refused("the savepoint of job " + jobId + " did not complete within 5 minutes; see the JobManager log");
    }

    private void cancel(String jobId) throws Refused {
        rest.patch("/jobs/" + jobId + "?mode=cancel");
        String state = "";
        for (int i = 0; i < 120 && !terminal(state); i++) {
            sleep(500);
            state = rest.get("/jobs/" + jobId).path("state").asText();
        }
        out.println("cancelled job " + jobId + ": " + state);
        String retained = latestCheckpoint(jobId);
        if (retained != null) {
            out.println("  its last retained checkpoint: " + retained);
            out.println("  resume with: jobs/flink-job.sh resume --from " + retained);
        }
    }

    // ----------------------------------------------------------------------------------------------- reading

    private void list() throws Refused {
        JsonNode jobs = rest.get("/jobs/overview").path("jobs");
        if (jobs.isEmpty()) {
            out.println("no jobs on " + rest.base());
            return;
        }
        List<JsonNode> sorted = new ArrayList<>();
        jobs.forEach(sorted::add);
        sorted.sort(Comparator.comparingLong(j -> -j.path("start-time").asLong()));
        for (JsonNode j : sorted) {
            out.printf("%s  %-10s started %s  %s%n", j.path("jid").asText(), j.path("state").asText(),
                    TIME.format(Instant.ofEpochMilli(j.path("start-time").asLong())), j.path("name").asText());
        }
    }

    private void status(String jobId) throws Refused {
        JsonNode job = rest.get("/jobs/" + jobId);
        out.println("job " + jobId + " (" + job.path("name").asText() + "): " + job.path("state").asText());
        for (JsonNode v : job.path("vertices")) {
            out.printf("  %-10s parallelism %d  %s%n", v.path("status").asText(), v.path("parallelism").asInt(),
                    v.path("name").asText());
        }
        JsonNode checkpoints = rest.get("/jobs/" + jobId + "/checkpoints");
        JsonNode counts = checkpoints.path("counts");
        out.printf("  checkpoints: %d completed, %d failed, %d in progress; restored %d times%n",
                counts.path("completed").asLong(), counts.path("failed").asLong(), counts.path("in_progress").asLong(),
                counts.path("restored").asLong());
        JsonNode latest = checkpoints.path("latest").path("completed");
        if (!latest.isMissingNode() && !latest.isNull()) {
            out.println("  last completed checkpoint: " + latest.path("external_path").asText() + " at "
                    + TIME.format(Instant.ofEpochMilli(latest.path("latest_ack_timestamp").asLong())));
        }
        JsonNode restored = checkpoints.path("latest").path("restored");
        if (!restored.isMissingNode() && !restored.isNull()) {
            out.println("  restored from: " + restored.path("external_path").asText());
        }
        String cause = rootCauseOrNull(jobId);
        if (cause != null) {
            out.println("  last failure: " + cause);
        }
    }

    private void exceptions(String jobId) throws Refused {
        JsonNode entries = rest.get("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries");
        if (entries.isEmpty()) {
            out.println("job " + jobId + " has not failed");
            return;
        }
        for (JsonNode e : entries) {
            out.println(TIME.format(Instant.ofEpochMilli(e.path("timestamp").asLong())) + "  "
                    + e.path("taskName").asText("(job)") + ": " + FlinkRest.innermostCause(e.path("stacktrace").asText()));
        }
    }

    private String rootCause(String jobId) throws Refused {
        String cause = rootCauseOrNull(jobId);
        return cause == null ? "no exception recorded; see the JobManager log" : cause;
    }

    private String rootCauseOrNull(String jobId) throws Refused {
        JsonNode entries = rest.get("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries");
        return entries.isEmpty() ? null : FlinkRest.innermostCause(entries.get(0).path("stacktrace").asText());
    }

    private String latestCheckpoint(String jobId) throws Refused {
        JsonNode latest = rest.get("/jobs/" + jobId + "/checkpoints").path("latest").path("completed");
        return latest.isMissingNode() || latest.isNull() ? null : latest.path("external_path").asText(null);
    }

    /** The job a command is about: the one given, or the only job that has not ended. */
    private String jobId(List<String> args) throws Usage, Refused {
        if (!args.isEmpty()) {
            if (args.size() > 1 || !args.get(0).matches("[0-9a-f]{32}")) {
                throw new Usage("expected a job id (32 hex digits), got '" + String.join(" ", args) + "'");
            }
            return args.get(0);
        }
        List<String> live = new ArrayList<>();
        for (JsonNode j : rest.get("/jobs/overview").path("jobs")) {
            if (!terminal(j.path("state").asText())) {
                live.add(j.path("jid").asText());
            }
        }
        if (live.size() != 1) {
            throw new Usage(live.isEmpty() ? "no job is running on " + rest.base() + " (jobs/flink-job.sh list shows "
                    + "the ended ones); give a job id" : live.size() + " jobs are running; give a job id: " + live);
        }
        return live.get(0);
    }

    private static boolean terminal(String state) {
        return state.equals("FINISHED") || state.equals("CANCELED") || state.equals("FAILED")
                || state.equals("SUSPENDED");
    }

    // -------------------------------------------------------------------------------- savepoints on disk

    /**
     * The newest savepoint or retained checkpoint (by the time its metadata was written) in the cluster's configured
     * savepoint and checkpoint directories, when they are on this machine's file system.
     */
    Optional<String> newestRetainedState() throws Refused {
        List<Path> candidates = new ArrayList<>();
        for (String key : List.of("execution.checkpointing.savepoint-dir", "execution.checkpointing.dir")) {
            String dir = clusterOption(key);
            if (dir == null || !(dir.startsWith("file:") || dir.startsWith("/"))) {
                continue;
            }
            Path root = Path.of(dir.startsWith("file:") ? URI.create(dir).getPath() : dir);
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root, 3)) {
                files.filter(f -> f.getFileName().toString().equals("_metadata")).forEach(candidates::add);
            } catch (IOException e) {
                throw new Refused("cannot list " + root + ": " + e.getMessage());
            }
        }
        return candidates.stream().max(Comparator.comparingLong(FlinkJobs::modified))
                .map(m -> m.getParent().toUri().toString());
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return Long.MIN_VALUE;
        }
    }

    // ---------------------------------------------------------------------------------- submission records

    /**
     * Keeps the monitor's options of a submission for {@code resume}; not {@code --rules-reset-to-file}, which asks
     * for the configuration file's alert rules once: a later resume keeps the rules in force then.
     */
    private void record(String jobId, List<String> monitorArgs) {
        try {
            Files.createDirectories(stateDir);
            ObjectNode n = FlinkRest.object();
            n.put("jobId", jobId);
            ArrayNode a = n.putArray("args");
            monitorArgs.stream().filter(arg -> !arg.equals("--rules-reset-to-file")
                    && !arg.startsWith("--rules-reset-to-file=")).forEach(a::add);
            Files.writeString(stateDir.resolve("last-submission.json"), n.toString() + "\n");
        } catch (IOException e) {
            System.err.println("flink-job: could not record the submission in " + stateDir + " (" + e.getMessage()
                    + "); resume will need the options again");
        }
    }

    private Optional<List<String>> lastSubmission() {
        Path f = stateDir.resolve("last-submission.json");
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            List<String> args = new ArrayList<>();
            JSON.readTree(f.toFile()).path("args").forEach(a -> args.add(a.asText()));
            return Optional.of(args);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    // --------------------------------------------------------------------------------------------- helpers

    /** Removes {@code name value} from {@code args} and returns the value, or {@code fallback}. */
    private static String option(List<String> args, String name, String fallback) throws Usage {
        int i = args.indexOf(name);
        if (i < 0) {
            return fallback;
        }
        if (i + 1 >= args.size()) {
            throw new Usage(name + " needs a value");
        }
        args.remove(i);
        return args.remove(i);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
