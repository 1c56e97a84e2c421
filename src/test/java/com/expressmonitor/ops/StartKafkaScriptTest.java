package com.expressmonitor.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** {@code jobs/start-kafka.sh} when the broker of its folder already runs, on another port than asked for. */
class StartKafkaScriptTest {
    @TempDir
    Path dir;

    @Test
    void aBrokerAlreadyRunningOnAnotherPortIsNamedInOneLine() throws IOException {
        Path kafka = Files.createDirectories(dir.resolve("kafka"));
        // This test's JVM stands in for the running broker: the script only asks whether its pid is alive.
        long pid = ProcessHandle.current().pid();
        Files.writeString(kafka.resolve("kafka.pid"), pid + "\n");
        Files.writeString(kafka.resolve("server.properties"), "advertised.listeners=PLAINTEXT://localhost:12345\n");

        Scripts.Result r = new Scripts(dir.resolve("logs")).env("KAFKA_DIR", kafka.toString()).env("KAFKA_PORT", "23456")
                .run(Duration.ofMinutes(1), "start-kafka.sh");

        // Before, it said "already running ... on localhost:23456" and waited two minutes for a broker not there.
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).containsExactly("Kafka of " + kafka + " is already running (pid " + pid
                + ") on port 12345, not 23456: set KAFKA_PORT=12345, or stop it first with jobs/stop-kafka.sh");
    }
}
