package com.expressmonitor.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Deleting a folder with everything in it: the one way the output folder, a claimed savepoint's copy and the
 * benchmark's checkpoints are removed. What a failure means differs (a refused run, a copy left behind, a temporary
 * folder), so callers decide what to do with the exception.
 */
public final class Folders {
    private Folders() {}

    /**
     * Deletes {@code dir} and everything under it, deepest first; a folder that is not there is not an error. The
     * listing is taken before the first deletion, so that a listing error (which the file walk reports unchecked)
     * comes out as the {@link IOException} it is, before anything is deleted.
     */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> all;
        try (Stream<Path> walk = Files.walk(dir)) {
            all = walk.sorted(Comparator.reverseOrder()).toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        for (Path p : all) {
            Files.deleteIfExists(p);
        }
    }
}
