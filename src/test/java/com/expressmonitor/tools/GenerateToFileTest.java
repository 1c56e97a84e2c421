package com.expressmonitor.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.expressmonitor.event.ScanParser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The generator-to-file tool: the simulation's scans as JSON lines, one file or a folder of shares, never over old data. */
class GenerateToFileTest {
    @TempDir
    Path dir;

    @Test
    void writesTheSameScansForTheSameSeedAndSplitsThemIntoShares() throws Exception {
        Path one = dir.resolve("one.jsonl");
        Path again = dir.resolve("again.jsonl");
        GenerateToFile.generate(new String[] {"--parcels", "200", "--day", "2026-11-11", "--seed", "7", "--out", one.toString()});
        GenerateToFile.generate(new String[] {"--parcels", "200", "--day", "2026-11-11", "--seed", "7", "--out", again.toString()});
        List<String> lines = Files.readAllLines(one, StandardCharsets.UTF_8);
        assertThat(lines).hasSizeGreaterThan(1_400).isEqualTo(Files.readAllLines(again, StandardCharsets.UTF_8));
        ScanParser parser = new ScanParser(Map.of(), Duration.ofDays(10_000).toMillis());
        long valid = lines.stream().filter(l -> parser.parse(l.getBytes(StandardCharsets.UTF_8), "file:one:", 0).isValid())
                .count();
        assertThat(valid).isGreaterThan(lines.size() * 99L / 100);

        Path folder = dir.resolve("split");
        GenerateToFile.generate(new String[] {"--parcels", "200", "--seed", "7", "--splits", "3", "--out", folder.toString()});
        List<String> shares = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            shares.addAll(Files.readAllLines(folder.resolve("part-" + i + ".jsonl"), StandardCharsets.UTF_8));
        }
        assertThat(shares).isNotEmpty();
        assertThat(shares.stream().filter(l -> l.contains("\"scanType\":\"COLLECTED\"") && !l.contains("#"))
                .map(l -> l.replaceAll(".*\"waybillNo\":\"([^\"]+)\".*", "$1")).distinct().count()).isEqualTo(200);
    }

    @Test
    void refusesToWriteOverAnExistingFileUnlessToldTo() throws Exception {
        Path out = Files.writeString(dir.resolve("mine.jsonl"), "keep me\n");
        String[] args = {"--parcels", "10", "--out", out.toString()};
        assertThat(ToolArgs.status("generate-to-file", () -> GenerateToFile.generate(args))).isEqualTo(2);
        assertThat(Files.readString(out)).isEqualTo("keep me\n");
        assertThat(ToolArgs.status("generate-to-file", () -> GenerateToFile.generate(new String[] {"--parcels", "10",
                "--out", out.toString(), "--overwrite"}))).isZero();
        assertThat(Files.readString(out)).startsWith("{");
        assertThat(ToolArgs.status("generate-to-file", () -> GenerateToFile.generate(new String[] {"--parcel", "10"})))
                .isEqualTo(2);
        assertThat(ToolArgs.status("generate-to-file", () -> GenerateToFile.generate(new String[] {"--help"}))).isZero();
    }
}
