package com.expressmonitor.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link DirectoryOutputs#prepare} does with a previous run's folder under {@code --overwrite}, in the cases the
 * command-line tests cannot make: a folder that cannot be listed whole is one line and stays as it was.
 */
class DirectoryOutputsTest {
    @TempDir
    Path tmp;

    @Test
    void overwriteReplacesAPreviousRunsResults() throws IOException {
        Path out = tmp.resolve("out");
        Files.createDirectories(out.resolve("alerts/2026-11-11"));
        Files.writeString(out.resolve("alerts/2026-11-11/part-0-0.json"), "{}\n");
        Files.writeString(out.resolve("summary.json"), "{}\n");

        DirectoryOutputs.prepare(out.toString(), true);

        assertThat(out).isEmptyDirectory();
    }

    @Test
    void aPreviousRunThatCannotBeListedWholeIsOneLineAndKept() throws IOException {
        Path out = tmp.resolve("out");
        Path summary = Files.writeString(Files.createDirectories(out).resolve("summary.json"), "{}\n");
        try (TooLongTree tree = TooLongTree.under(out.resolve("alerts"), Files.createDirectories(tmp.resolve("s")))) {
            assertThatThrownBy(() -> DirectoryOutputs.prepare(out.toString(), true))
                    .isInstanceOf(StartupCheckException.class)
                    .hasMessageStartingWith("cannot replace output folder " + out + ": FileSystemException " + out
                            + "/alerts/")
                    .hasMessageEndingWith(": File name too long; delete it yourself or choose another folder");
            assertThat(summary).hasContent("{}\n");
        }
    }
}
