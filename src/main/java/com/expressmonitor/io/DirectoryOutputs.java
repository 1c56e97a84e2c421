package com.expressmonitor.io;

import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The {@code dir:PATH} output: JSON lines under {@code district-metrics/}, {@code alerts/}, {@code dead-letter/},
 * {@code late-events/} and {@code rule-updates/} (the rules a run started with and the result of each update).
 * Files in progress are hidden (their names start with '.') until committed.
 *
 * <p>A run writes into an empty or new folder only: results of an earlier run beside new ones would be counted
 * twice by a reader. {@link #prepare} refuses a folder that is not empty unless asked to replace it, and then
 * replaces only a folder that holds nothing but a previous run's results.
 */
public final class DirectoryOutputs {
    public static final String METRICS = "district-metrics";
    public static final String ALERTS = "alerts";
    public static final String DEAD_LETTER = "dead-letter";
    public static final String LATE_EVENTS = "late-events";
    public static final String RULE_UPDATES = "rule-updates";

    /** What a run writes into its folder; a folder holding anything else is never deleted. */
    static final Set<String> LAYOUT = Set.of(METRICS, ALERTS, DEAD_LETTER, LATE_EVENTS, RULE_UPDATES, "summary.json");

    private DirectoryOutputs() {}

    /**
     * Makes {@code dir} ready for a run, before the job is built: creates it if missing; refuses a path that is a
     * file, a folder that cannot be written, and a folder that is not empty unless {@code overwrite} (which deletes
     * it and creates it anew, if it holds only a previous run's results). Paths with a scheme other than
     * {@code file:} (a remote file system) are left to the sink.
     *
     * @throws StartupCheckException (exit code 2) naming the folder and what to do
     */
    public static void prepare(String dir, boolean overwrite) {
        java.nio.file.Path path = localPath(dir);
        if (path == null) {
            return;
        }
        String shown = dir;
        if (Files.exists(path) && !Files.isDirectory(path)) {
            throw new StartupCheckException(2, "output folder " + shown + " is a file; give a folder after --sink dir:");
        }
        if (Files.isDirectory(path)) {
            List<String> entries = entries(path, shown);
            if (!entries.isEmpty()) {
                if (!overwrite) {
                    throw new StartupCheckException(2, "output folder " + shown + " is not empty; add --overwrite to "
                            + "replace it, or choose another folder");
                }
                List<String> foreign = entries.stream().filter(e -> !LAYOUT.contains(e)).sorted().toList();
                if (!foreign.isEmpty()) {
                    throw new StartupCheckException(2, "output folder " + shown + " holds files that are not results "
                            + "of this monitor (" + String.join(", ", foreign.subList(0, Math.min(3, foreign.size())))
                            + (foreign.size() > 3 ? ", ..." : "") + "), so --overwrite does not replace it; "
                            + "choose another folder");
                }
                deleteTree(path, shown);
            }
        }
        try {
            Files.createDirectories(path);
        } catch (AccessDeniedException e) {
            throw new StartupCheckException(2, "cannot create output folder " + shown + ": permission denied; "
                    + "choose a folder you can write after --sink dir:", e);
        } catch (IOException e) {
            throw new StartupCheckException(2, "cannot create output folder " + shown + ": " + reason(e)
                    + "; choose another folder after --sink dir:", e);
        }
        if (!Files.isWritable(path)) {
            throw new StartupCheckException(2, "output folder " + shown + " is not writable; choose a folder you can "
                    + "write after --sink dir:");
        }
    }

    /** The local path of a {@code dir:} argument, or null when it names another file system. */
    static java.nio.file.Path localPath(String dir) {
        if (dir.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")) {
            URI uri = URI.create(dir);
            return "file".equals(uri.getScheme()) ? java.nio.file.Path.of(uri) : null;
        }
        return java.nio.file.Path.of(dir.startsWith("file:") ? dir.substring(5) : dir);
    }

    private static List<String> entries(java.nio.file.Path path, String shown) {
        try (Stream<java.nio.file.Path> list = Files.list(path)) {
            return list.map(p -> p.getFileName().toString()).toList();
        } catch (IOException | UncheckedIOException e) {
            // Opening the folder fails checked; reading its entries fails unchecked.
            IOException cause = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
            throw new StartupCheckException(2, "cannot read output folder " + shown + ": " + reason(cause)
                    + "; choose a folder you can read and write after --sink dir:", cause);
        }
    }

    private static void deleteTree(java.nio.file.Path path, String shown) {
        try {
            Folders.deleteTree(path);
        } catch (IOException e) {
            throw new StartupCheckException(2, "cannot replace output folder " + shown + ": " + reason(e)
                    + "; delete it yourself or choose another folder", e);
        }
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException || e instanceof java.nio.file.NotDirectoryException
                || (e instanceof java.nio.file.FileSystemException f && "Not a directory".equals(f.getReason()))) {
            return "part of the path is a file";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    }

    public static Outputs create(String dir, OutputJson json) {
        for (String sub : new String[] {METRICS, ALERTS, DEAD_LETTER, LATE_EVENTS, RULE_UPDATES}) {
            try {
                // Created up front so that an output with no records is an empty folder, not a missing one.
                Files.createDirectories(java.nio.file.Path.of(dir, sub));
            } catch (IOException | RuntimeException e) {
                if (e instanceof IOException io) {
                    throw new UncheckedIOException("cannot create output folder " + dir + "/" + sub, io);
                }
                // not a local path (e.g. a remote file system): the sink creates it
            }
        }
        return new Outputs(
                sink(dir, METRICS, new JsonLinesEncoder<>(json::metrics)),
                sink(dir, ALERTS, new JsonLinesEncoder<>(json::alert)),
                sink(dir, DEAD_LETTER, new JsonLinesEncoder<>(json::deadLetter)),
                sink(dir, LATE_EVENTS, new JsonLinesEncoder<>(json::lateEvent)),
                sink(dir, RULE_UPDATES, new JsonLinesEncoder<>(json::ruleResult)));
    }

    private static <T> FileSink<T> sink(String dir, String sub, Encoder<T> encoder) {
        return FileSink.forRowFormat(new Path(dir, sub), encoder)
                .withBucketAssigner(new BasePathBucketAssigner<>())
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix("part").withPartSuffix(".jsonl").build())
                .build();
    }
}
