package com.expressmonitor.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** A replay split survives a checkpoint: it is written and read back, and resumes after the lines already read. */
class SplitCheckpointTest {
    @TempDir
    Path dir;

    @Test
    void replaySplitResumesAfterTheLinesRead() throws Exception {
        Path file = dir.resolve("f.jsonl");
        Files.writeString(file, "a\n\nb\r\nc\n  \nd");
        ReplayFileSplit split = new ReplayFileSplit(file.toString(), "f.jsonl", 0);
        ReplayFileSplit.LineIterator it = split.getIterator();
        assertThat(text(it.next())).isEqualTo("a");
        RawLine b = it.next();
        assertThat(text(b)).isEqualTo("b");
        assertThat(b.lineNumber).isEqualTo(3);

        ReplayFileSplit checkpointed = split.after(b.lineNumber);
        ReplayFileSplit restored = ReplayFileSource.CODEC.deserialize(1, ReplayFileSource.CODEC.serialize(checkpointed));
        assertThat(restored).isEqualTo(new ReplayFileSplit(file.toString(), "f.jsonl", 3));
        List<String> rest = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        restored.getIterator().forEachRemaining(l -> {
            rest.add(text(l));
            lines.add(l.lineNumber);
        });
        assertThat(rest).containsExactly("c", "d");
        assertThat(lines).containsExactly(4L, 6L);

        Collection<ReplayFileSplit> both = List.of(split, restored);
        assertThat(ReplayFileSource.CODEC.forCollections().deserialize(1,
                ReplayFileSource.CODEC.forCollections().serialize(both))).containsExactlyElementsOf(both);
    }

    private static String text(RawLine l) {
        return new String(l.bytes, 0, l.length, StandardCharsets.UTF_8);
    }
}
