package com.expressmonitor.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.expressmonitor.io.StartupCheckException;

import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Where an embedded run's local files go, and that they go when the run ends. */
class LocalWorkingFolderTest {
    @TempDir
    Path tmp;

    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    @Test
    void aRunGetsAFolderOfItsOwnInTheFirstTemporaryFolderAndItGoesWhenTheRunEnds() throws Exception {
        Path first = tmp.resolve("first");
        Configuration flink = new Configuration();

        LocalWorkingFolder work = LocalWorkingFolder.create(flink,
                Map.of("io.tmp.dirs", first + "," + tmp.resolve("second")), err);

        assertThat(work.folder()).isDirectory().hasParent(first);
        assertThat(work.folder().getFileName().toString()).startsWith("express-traffic-monitor-");
        assertThat(flink.toMap()).containsEntry("process.working-dir", work.folder().toString());
        work.ended();
        assertThat(work.folder()).doesNotExist();
        assertThat(first).isEmptyDirectory();
        assertThat(errBytes.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void temporaryFoldersSeparatedByColonsAreReadAsFlinkReadsThem() throws Exception {
        Path first = tmp.resolve("one");

        LocalWorkingFolder work = LocalWorkingFolder.create(new Configuration(),
                Map.of("io.tmp.dirs", first + ":" + tmp.resolve("two")), err);

        assertThat(work.folder()).hasParent(first);
        work.ended();
    }

    @Test
    void aTemporaryFolderThatCannotBeMadeIsOneLineNamingTheKey() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");

        assertThatThrownBy(() -> LocalWorkingFolder.create(new Configuration(), Map.of("io.tmp.dirs", file.toString()),
                err)).isInstanceOf(StartupCheckException.class)
                .hasMessage("cannot create a folder for the run's local files in " + file + ": "
                        + "java.nio.file.FileAlreadyExistsException: " + file
                        + "; set flink.io.tmp.dirs to a folder you can write");
    }

    @Test
    void aWorkingFolderTheUserPlacedIsLeftToThem() throws Exception {
        for (String key : LocalWorkingFolder.PLACED_BY) {
            Path placed = Files.createDirectories(tmp.resolve(key));
            Configuration flink = new Configuration();

            LocalWorkingFolder work = LocalWorkingFolder.create(flink, Map.of(key, placed.toString()), err);

            assertThat(work.folder()).isNull();
            assertThat(flink.toMap()).doesNotContainKey("process.working-dir");
            work.ended();
            assertThat(placed).isDirectory();
        }
    }
}
