package com.expressmonitor.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the operator scripts of {@code jobs/} as a user does, as their own processes, with an environment of their
 * own (data folders under the test's folder, free ports), and keeps what they printed.
 */
final class Scripts {
    static final Path ROOT = Path.of("").toAbsolutePath();

    private final Map<String, String> env = new HashMap<>();
    private final Path logs;
    private int runs;

    Scripts(Path logs) {
        this.logs = logs;
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Scripts env(String key, String value) {
        env.put(key, value);
        return this;
    }

    String env(String key) {
        return env.get(key);
    }

    /** What a finished script did: its exit status and output. */
    record Result(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }

        Result ok() {
            if (exit != 0) {
                throw new AssertionError("exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err);
            }
            return this;
        }
    }

    /** Runs {@code jobs/SCRIPT args...} from the given directory and waits for it. */
    Result run(Path workDir, Duration timeout, String script, String... args) {
        Process p = start(workDir, script, args);
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError(script + " " + String.join(" ", args) + " did not end within " + timeout
                        + "\nstdout:\n" + read(outFile(p)) + "\nstderr:\n" + read(errFile(p)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return new Result(p.exitValue(), read(outFile(p)), read(errFile(p)));
    }

    Result run(Duration timeout, String script, String... args) {
        return run(ROOT, timeout, script, args);
    }

    /** Starts {@code jobs/SCRIPT args...} in the background; its output goes to files under the log folder. */
    Process start(Path workDir, String script, String... args) {
        List<String> command = new ArrayList<>();
        command.add("bash");
        command.add(ROOT.resolve("jobs").resolve(script).toString());
        command.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(command).directory(workDir.toFile());
        b.environment().putAll(env);
        int n = ++runs;
        Path out = logs.resolve(n + "-" + script + ".out");
        Path err = logs.resolve(n + "-" + script + ".err");
        b.redirectOutput(out.toFile()).redirectError(err.toFile());
        try {
            Process p = b.start();
            files.put(p, new Path[] {out, err});
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final Map<Process, Path[]> files = new HashMap<>();

    Path outFile(Process p) {
        return files.get(p)[0];
    }

    Path errFile(Process p) {
        return files.get(p)[1];
    }

    static String read(Path f) {
        try {
            return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A TCP port nobody listens on right now. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
