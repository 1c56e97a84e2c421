package com.expressmonitor.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FoldersTest {
    @TempDir
    Path tmp;

    @Test
    void deletesAFolderWithEverythingUnderIt() throws IOException {
        Path dir = tmp.resolve("out");
        Files.createDirectories(dir.resolve("alerts/2026-11-11"));
        Files.writeString(dir.resolve("alerts/2026-11-11/part-0-0.json"), "{}\n");
        Files.writeString(dir.resolve(".hidden"), "");
        Files.createDirectories(dir.resolve("empty"));

        Folders.deleteTree(dir);

        assertThat(dir).doesNotExist();
        assertThat(tmp).isEmptyDirectory();
    }

    @Test
    void aFolderThatIsNotThereIsNoError() throws IOException {
        Folders.deleteTree(tmp.resolve("never-made"));

        assertThat(tmp).isEmptyDirectory();
    }

    @Test
    void deletesALinkInsideTheTreeButNotWhatItPointsTo() throws IOException {
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("keep.txt"), "kept");
        Path dir = Files.createDirectories(tmp.resolve("copy"));
        Files.createSymbolicLink(dir.resolve("link"), elsewhere);

        Folders.deleteTree(dir);

        assertThat(dir).doesNotExist();
        assertThat(elsewhere.resolve("keep.txt")).hasContent("kept");
    }

    @Test
    void aFolderThatCannotBeListedIsAnIOExceptionAndNothingIsDeleted() throws IOException {
        Path dir = tmp.resolve("out");
        Path top = Files.writeString(Files.createDirectories(dir).resolve("top.txt"), "kept");
        Path scratch = Files.createDirectories(tmp.resolve("scratch"));
        try (TooLongTree tree = TooLongTree.under(dir.resolve("deep"), scratch)) {
            assertThatThrownBy(() -> Folders.deleteTree(dir))
                    .isInstanceOf(FileSystemException.class)
                    .hasMessageEndingWith("File name too long");
            assertThat(top).hasContent("kept");
        }
    }

    @Test
    void deletesAFile() throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");

        Folders.deleteTree(file);

        assertThat(file).doesNotExist();
    }
}
