package com.expressmonitor.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code config/jvm.options}, the Java options of a run of the runnable jar: this JVM takes them as written, and
 * every script that starts the runnable jar passes them, so that a user's run is the one the benchmark measured.
 */
class JavaOptionsTest {
    private static final Path OPTIONS = Scripts.ROOT.resolve("config/jvm.options");

    @Test
    void theJvmTakesEveryOptionAsWritten() throws Exception {
        List<String> options = options();
        assertThat(options).containsExactly(
                "-XX:Tier4InvocationThreshold=40000",
                "-XX:Tier4MinInvocationThreshold=20000",
                "-XX:Tier4CompileThreshold=50000",
                "-XX:Tier4BackEdgeThreshold=400000");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "@" + OPTIONS, "-XX:+PrintFlagsFinal", "-version")
                .redirectErrorStream(true).start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(printed).isZero();
        for (String option : options) {
            String[] nameValue = option.substring("-XX:".length()).split("=");
            // A line of -XX:+PrintFlagsFinal: "intx Tier4InvocationThreshold = 40000 {product} {command line}".
            assertThat(printed).as(option).containsPattern(Pattern.compile(
                    "\\b" + nameValue[0] + "\\s+= " + nameValue[1] + "\\s.*\\{command line\\}"));
        }
    }

    @Test
    void everyScriptThatStartsTheRunnableJarPassesThem() throws IOException {
        List<String> starts;
        try (Stream<Path> scripts = Files.list(Scripts.ROOT.resolve("jobs"))) {
            starts = scripts.filter(f -> f.toString().endsWith(".sh")).sorted()
                    .flatMap(JavaOptionsTest::lines)
                    .filter(line -> line.matches(".*\\bjava\\b.*") && line.contains(" -jar "))
                    .toList();
        }
        assertThat(starts).extracting(line -> line.substring(0, line.indexOf(':'))).containsExactly(
                "benchmark-paths.sh", "benchmark-paths.sh", "replay.sh", "run-demo.sh", "run-kafka.sh");
        assertThat(starts).allSatisfy(line -> assertThat(line)
                .containsPattern("java (@\"?(\\$ROOT/)?config/jvm\\.options\"?|\"\\$\\{JVM\\[@]}\") "));
        // The benchmark's starts go through its JVM array: that array must hold the file.
        assertThat(lines(Scripts.ROOT.resolve("jobs/benchmark-paths.sh")))
                .contains("benchmark-paths.sh: JVM=(@config/jvm.options)");
    }

    private static List<String> options() throws IOException {
        return Files.readAllLines(OPTIONS).stream().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    }

    /** The script's commands, a command continued over several lines (ending in a backslash) as one. */
    private static Stream<String> lines(Path script) {
        try {
            String joined = Files.readString(script).replace("\\\n", " ");
            return joined.lines().map(line -> script.getFileName() + ": " + line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
