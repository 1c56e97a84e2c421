package com.expressmonitor.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Prints a results file of the benchmark as a table: per configuration the best and the median run. */
final class Summary {
    private Summary() {}

    static void print(Path results) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, List<JsonNode>> byLabel = new LinkedHashMap<>();
        for (String line : Files.readAllLines(results)) {
            if (!line.isBlank()) {
                JsonNode n = json.readTree(line);
                byLabel.computeIfAbsent(n.path("label").asText(), k -> new ArrayList<>()).add(n);
            }
        }
        System.out.printf(Locale.ROOT, "%-34s %4s %10s %10s %10s %8s %8s %10s %8s %10s %10s %10s%n", "configuration", "runs",
                "ev/s best", "ev/s med", "ev/CPU-s", "p50 ms", "p99 ms", "p99 steady", "RSS MB", "ckpt B/pcl",
                "rocks B/pcl", "SST B/pcl");
        double pipeline = 0;
        double sql = 0;
        for (Map.Entry<String, List<JsonNode>> e : byLabel.entrySet()) {
            List<JsonNode> runs = new ArrayList<>(e.getValue());
            runs.sort((x, y) -> Long.compare(x.path("eventsPerSecond").asLong(), y.path("eventsPerSecond").asLong()));
            JsonNode best = runs.get(runs.size() - 1);
            JsonNode median = runs.get((runs.size() - 1) / 2); // the lower median of an even count
            System.out.printf(Locale.ROOT, "%-34s %4d %10d %10d %10d %8s %8s %10s %8d %10s %10s %10s%n", e.getKey(),
                    runs.size(), best.path("eventsPerSecond").asLong(), median.path("eventsPerSecond").asLong(),
                    median.path("eventsPerCpuSecond").asLong(), best.path("latencyP50ms").asText("-"),
                    best.path("latencyP99ms").asText("-"), best.path("latencyP99msSteady").asText("-"),
                    best.path("peakRssMB").asLong(),
                    best.path("checkpointBytesPerParcel").asText("-"), best.path("rocksdbBytesPerParcel").asText("-"),
                    best.path("rocksdbSstLiveBytesPerParcel").asText("-"));
            if (e.getKey().equals("pipeline-rocksdb-p2")) {
                pipeline = best.path("eventsPerSecond").asDouble();
            } else if (e.getKey().startsWith("sql-rocksdb")) {
                sql = Math.max(sql, best.path("eventsPerSecond").asDouble());
            }
        }
        for (Map.Entry<String, List<JsonNode>> e : byLabel.entrySet()) {
            for (JsonNode run : e.getValue()) {
                if (run.has("jitCpuSeconds")) {
                    // The JIT compiler's share: a fixed cost of a fresh JVM, large in a run of half a minute.
                    System.out.printf(Locale.ROOT, "%s: %.1f CPU-s, of which the JIT compiler %.1f; %d events per"
                            + " CPU-second without it%n", e.getKey(), run.path("cpuSeconds").asDouble(),
                            run.path("jitCpuSeconds").asDouble(), run.path("eventsPerCpuSecondWithoutJit").asLong());
                }
                if (run.has("savepointBytesPerParcelSeries")) {
                    System.out.printf(Locale.ROOT, "%s: canonical savepoints every few seconds, parcels alive %s;%n"
                            + "  parcel tracker keyed state (parcels and their timers, 8 bytes of framing per entry)"
                            + " B/parcel %s;%n  its waiting scans B/parcel %s; whole savepoint B/parcel %s%n",
                            e.getKey(), run.path("savepointParcelsSeries").asText(),
                            run.path("savepointParcelStateBytesPerParcelSeries").asText(),
                            run.path("savepointWaitingScanBytesPerParcelSeries").asText(),
                            run.path("savepointBytesPerParcelSeries").asText());
                }
            }
        }
        if (pipeline > 0 && sql > 0) {
            System.out.printf(Locale.ROOT, "pipeline / best Flink SQL setting (RocksDB, parallelism 2): %.1fx%n",
                    pipeline / sql);
        }
    }
}
