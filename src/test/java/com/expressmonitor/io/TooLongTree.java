package com.expressmonitor.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A folder tree whose deepest folders lie beyond the longest path the operating system opens (4,096 bytes on Linux):
 * listing it fails part-way with "File name too long". It stands for a folder that cannot be read, which tests
 * running as root cannot make with permissions. It is built from two chains of folders, each short enough to create,
 * the second moved into the first's deepest folder; {@link #close} moves it back so that the tree can be deleted.
 */
final class TooLongTree implements AutoCloseable {
    private static final String NAME = "f".repeat(30);

    private final Path parent;
    private final Path movedTo;

    private TooLongTree(Path parent, Path movedTo) {
        this.parent = parent;
        this.movedTo = movedTo;
    }

    /** Builds the tree under {@code root}: {@code root} itself stays short enough to list and delete. */
    static TooLongTree under(Path root, Path scratch) throws IOException {
        Path deepest = chain(root, 3_400);
        Path second = scratch.resolve("second");
        chain(second, 1_000);
        Path movedTo = deepest.resolve("second");
        Files.move(second, movedTo);
        return new TooLongTree(scratch, movedTo);
    }

    private static Path chain(Path from, int length) throws IOException {
        Path p = from;
        while (p.toString().length() < length - NAME.length()) {
            p = p.resolve(NAME);
        }
        Files.createDirectories(p);
        Files.writeString(p.resolve("part-0.jsonl"), "{}\n");
        return p;
    }

    @Override
    public void close() throws IOException {
        if (Files.exists(movedTo)) {
            Files.move(movedTo, parent.resolve("second"));
        }
    }
}
