package com.expressmonitor.monitoring;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Requires the {@code prometheus} and {@code promtool} binaries (Debian package {@code prometheus}) on the PATH
 * before a test class starts anything. When they are missing the class fails if the environment variable
 * {@code CI} is set (to anything but {@code false}), so that a build server cannot pass without these checks, and is
 * skipped with the reason otherwise, so that a developer without Prometheus can still run the other tests.
 */
public final class PrometheusInstalled implements BeforeAllCallback {
    static final String INSTALL = "install Debian's prometheus package (apt-get install -y prometheus), which brings "
            + "both prometheus and promtool";

    @Override
    public void beforeAll(ExtensionContext context) {
        binary("prometheus");
        binary("promtool");
    }

    /** The binary's path on the PATH; fails under CI and skips otherwise when it is not there. */
    static Path binary(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        String ci = System.getenv("CI");
        String message = "'" + name + "' is not on the PATH: " + INSTALL;
        if (ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false")) {
            Assertions.fail(message + " (CI is set: the monitoring checks must run)");
        }
        Assumptions.abort(message + " (skipped: CI is not set)");
        throw new AssertionError("unreachable");
    }
}
