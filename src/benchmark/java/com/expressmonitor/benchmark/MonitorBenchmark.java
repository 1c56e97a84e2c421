package com.expressmonitor.benchmark;

import com.expressmonitor.alert.Alert;
import com.expressmonitor.config.ConfigLoader;
import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.district.DistrictMetrics;
import com.expressmonitor.event.DeadLetter;
import com.expressmonitor.event.LateEvent;
import com.expressmonitor.event.ScanParser;
import com.expressmonitor.io.Folders;
import com.expressmonitor.io.KafkaIo;
import com.expressmonitor.io.ReplayFileSource;
import com.expressmonitor.job.MonitorPipeline;
import com.expressmonitor.io.Outputs;
import com.expressmonitor.job.ScanInput;
import com.expressmonitor.parcel.ParcelTrackerOperator;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Throughput, CPU, latency, memory and state-size benchmark of the monitoring job on an embedded mini cluster.
 *
 * <pre>
 *   MonitorBenchmark --generate PARCELS --data FILE [--splits 2] [--seed 11] [--hot-scans N]
 *   MonitorBenchmark --data FILE [--job pipeline|sql] [--backend rocksdb|hashmap] [--parallelism 2] [--rate 0]
 *                    [--input memory|file:PATH|kafka]
 *                    [--checkpoint-interval 10s] [--minibatch false] [--two-phase false] [--label NAME]
 *                    [--results FILE] [--limit EVENTS] [--warmup-seconds 10]
 *                    [--threads false] [--savepoint-seconds 0] [--flink.KEY VALUE ...] [--monitor.KEY VALUE ...]
 *   MonitorBenchmark --summary RESULTS_FILE
 * </pre>
 *
 * One configuration per JVM, so that peak RSS (VmHWM) belongs to that configuration. {@code --rate} limits the
 * sources to that many events per second in total (0: as fast as possible). {@code --flink.KEY} sets a Flink option,
 * {@code --monitor.KEY} a key of the job's configuration (over the built-in defaults). The number of splits of the
 * data file should equal the parallelism (one input partition per source subtask).
 *
 * <p>{@code --input file:PATH} or {@code --input kafka} reads the user's paths instead of the in-memory data: a replay
 * of JSON-lines files, or a bounded read of the Kafka topic {@code monitor.kafka.topics.scan-events} from its
 * earliest offsets (the job's outputs are then discarded). Events per second are then the records read over the job's
 * net run time; latency is not measured there.
 */
public final class MonitorBenchmark {
    private MonitorBenchmark() {}

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = parse(argv);
        Path data = Path.of(a.getOrDefault("data", "target/benchmark/scans.bin"));
        if (a.containsKey("generate")) {
            Files.createDirectories(data.toAbsolutePath().getParent());
            long t0 = System.nanoTime();
            BenchData.generate(data, Long.parseLong(a.get("generate")), Long.parseLong(a.getOrDefault("seed", "11")),
                    Integer.parseInt(a.getOrDefault("splits", "2")), Long.parseLong(a.getOrDefault("hot-scans", "0")));
            BenchData.splits = BenchData.load(data);
            System.out.printf(Locale.ROOT, "generated %,d records (%,d MB) in %.1f s into %s%n", BenchData.totalRecords(),
                    BenchData.totalBytes() >> 20, (System.nanoTime() - t0) / 1e9, data);
            return;
        }
        if (a.containsKey("summary")) {
            Summary.print(Path.of(a.get("summary")));
            return;
        }
        if (!a.getOrDefault("input", "memory").equals("memory")) {
            Map<String, Object> result = runUserPath(a);
            String json = toJson(result);
            System.out.println("RESULT " + json);
            if (a.containsKey("results")) {
                Files.writeString(Path.of(a.get("results")), json + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            System.exit(0);
        }
        BenchData.splits = BenchData.load(data);
        if (a.containsKey("limit")) {
            BenchData.limit(Long.parseLong(a.get("limit")));
        }
        Map<String, Object> result = run(a);
        String json = toJson(result);
        System.out.println("RESULT " + json);
        if (a.containsKey("results")) {
            Files.writeString(Path.of(a.get("results")), json + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
        System.exit(0);
    }

    static Map<String, Object> run(Map<String, String> a) throws Exception {
        String job = a.getOrDefault("job", "pipeline");
        String backend = a.getOrDefault("backend", "rocksdb");
        int parallelism = Integer.parseInt(a.getOrDefault("parallelism", "2"));
        double rate = Double.parseDouble(a.getOrDefault("rate", "0"));
        Path checkpoints = Files.createTempDirectory("monitor-benchmark-chk");
        MonitorConfig config = config(a, Map.of());

        Map<String, String> options = flinkOptions(a, job, checkpoints);
        options.put("state.backend.type", backend);
        options.put("state.backend.rocksdb.timer-service.factory", "HEAP");
        options.put("metrics.reporter.capture.factory.class", CapturingReporter.class.getName());
        options.put("state.backend.rocksdb.metrics.estimate-live-data-size", "true");
        options.put("state.backend.rocksdb.metrics.total-sst-files-size", "true");
        options.put("state.backend.rocksdb.metrics.cur-size-all-mem-tables", "true");
        options.put("state.backend.rocksdb.metrics.estimate-num-keys", "true");
        StreamExecutionEnvironment env = environment(a, options, parallelism);

        ScanParser parser = parser(config);
        MemorySource source = new MemorySource(parser, rate, config.outOfOrdernessMillis(), config.windowSizeMillis(),
                BenchData.splits.length);
        MemorySource.reset();
        LatencySink.ARRIVALS.clear();

        if (job.equals("pipeline")) {
            Outputs outputs = new Outputs(new LatencySink<DistrictMetrics>(DistrictMetrics::windowEnd),
                    new LatencySink<Alert>(Alert::windowEnd), new DiscardingSink<DeadLetter>(),
                    new DiscardingSink<LateEvent>());
            MonitorPipeline.build(env, config, new ScanInput(source, false, "Memory", "source-memory"), outputs);
        } else {
            SqlBaseline.build(env, config, source, "Memory", Boolean.parseBoolean(a.getOrDefault("minibatch", "false")),
                    Boolean.parseBoolean(a.getOrDefault("two-phase", "false")));
        }

        Sampler sampler = new Sampler(checkpoints);
        sampler.start();
        long savepointEvery = Math.round(Double.parseDouble(a.getOrDefault("savepoint-seconds", "0")) * 1000);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long wall0 = System.nanoTime();
        JobClient client = env.executeAsync("Monitor benchmark (" + job + ", " + backend + ")");
        Savepointer savepointer = null;
        if (savepointEvery > 0) {
            savepointer = new Savepointer(client, checkpoints.resolve("savepoints"), savepointEvery);
            savepointer.start();
        }
        var result = client.getJobExecutionResult().get();
        long wall1 = System.nanoTime();
        if (Boolean.parseBoolean(a.getOrDefault("threads", "false"))) {
            printThreadCpu();
        }
        long cpu1 = os.getProcessCpuTime();
        sampler.stop = true;
        sampler.join();

        long records = MemorySource.RECORDS.get();
        double seconds = (wall1 - MemorySource.FIRST_RECORD.get()) / 1e9;
        double cpuSeconds = (cpu1 - cpu0) / 1e9;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("label", a.getOrDefault("label", job + "-" + backend));
        r.put("job", job);
        r.put("backend", backend);
        r.put("parallelism", parallelism);
        r.put("rateLimit", rate);
        if (job.equals("sql")) {
            r.put("minibatch", Boolean.parseBoolean(a.getOrDefault("minibatch", "false")));
            r.put("twoPhase", Boolean.parseBoolean(a.getOrDefault("two-phase", "false")));
        }
        throughput(r, records, seconds, (wall1 - wall0) / 1e9, cpuSeconds);
        r.put("outputs", LatencySink.COUNT.get());
        if (job.equals("pipeline")) {
            // The most scans that waited in memory for the watermark at once in one tracker subtask.
            r.put("mostScansWaiting", result.getAccumulatorResult(ParcelTrackerOperator.ACC_MOST_WAITING));
        }
        latency(r, "", 0, Long.MAX_VALUE);
        // Steady state: the windows of the simulated day itself (local time), without those whose end passed in the
        // first seconds (JIT warm-up, and the quiet night hours passing in a burst). Left out after the day: the
        // trickle of the next day's late deliveries, through which the watermark runs in a few hundred milliseconds
        // while the day's delivered parcels all reach the end of their retention, a burst of timers a stream only
        // sees after an outage (in a stream they come at the rate of the deliveries one retention earlier).
        long dayEnd = java.time.LocalDate.parse(BenchData.DAY).plusDays(1)
                .atStartOfDay(java.time.ZoneOffset.ofTotalSeconds(config.zoneOffsetSeconds())).toInstant().toEpochMilli();
        latency(r, "Steady", (long) (Double.parseDouble(a.getOrDefault("warmup-seconds", "10")) * 1e9), dayEnd);
        r.put("peakRssMB", peakRssKb() / 1024);
        r.put("inputDataMB", BenchData.totalBytes() >> 20);
        r.put("heapMaxMB", Runtime.getRuntime().maxMemory() >> 20);
        // The JVM's tuning options (the user paths' runs read config/jvm.options): a result says how it was run.
        r.put("javaOptions", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(o -> o.startsWith("-XX:")).toList()));
        sampler.report(r);
        if (savepointer != null) {
            savepointer.stop = true;
            savepointer.join();
            r.put("savepointBytesPerParcelSeries", savepointer.perParcel.toString());
            r.put("savepointParcelsSeries", savepointer.parcels.toString());
            r.put("savepointParcelStateBytesPerParcelSeries", savepointer.parcelStatePerParcel.toString());
            r.put("savepointWaitingScanBytesPerParcelSeries", savepointer.waitingPerParcel.toString());
        }
        deleteQuietly(checkpoints);
        return r;
    }

    /**
     * One run on a user's path: files replayed, or a Kafka topic read from its earliest offsets as a bounded run, by
     * the job (outputs discarded) or by the SQL baseline; the same state backend and checkpoint options as the other
     * runs.
     */
    static Map<String, Object> runUserPath(Map<String, String> a) throws Exception {
        String job = a.getOrDefault("job", "pipeline");
        String input = a.get("input");
        int parallelism = Integer.parseInt(a.getOrDefault("parallelism", "2"));
        Path checkpoints = Files.createTempDirectory("monitor-benchmark-chk");
        MonitorConfig config = config(a, input.equals("kafka")
                ? Map.of("kafka.bounded", "true", "kafka.starting-offsets", "earliest")
                : Map.of());
        Map<String, String> options = flinkOptions(a, job, checkpoints);
        options.put("state.backend.type", a.getOrDefault("backend", "rocksdb"));
        StreamExecutionEnvironment env = environment(a, options, parallelism);
        ScanParser parser = parser(config);
        ScanInput scans;
        long records;
        if (input.startsWith("file:")) {
            scans = new ScanInput(ReplayFileSource.of(input.substring(5), parser), false, "Replay", "source-file");
            records = UserPaths.lines(Path.of(input.substring(5)));
        } else {
            scans = new ScanInput(KafkaIo.source(config, parser), true, "Kafka", "source-kafka");
            records = UserPaths.records(config.kafka());
        }
        if (job.equals("pipeline")) {
            MonitorPipeline.build(env, config, scans, new Outputs(new DiscardingSink<>(), new DiscardingSink<>(),
                    new DiscardingSink<>(), new DiscardingSink<>()));
        } else {
            SqlBaseline.build(env, config, scans.source(), scans.name(),
                    Boolean.parseBoolean(a.getOrDefault("minibatch", "false")),
                    Boolean.parseBoolean(a.getOrDefault("two-phase", "false")));
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long wall0 = System.nanoTime();
        var result = env.execute("Monitor benchmark (" + job + ", " + input + ")");
        long wall1 = System.nanoTime();
        double cpuSeconds = (os.getProcessCpuTime() - cpu0) / 1e9;
        double seconds = result.getNetRuntime() / 1000.0;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("label", a.getOrDefault("label", job + "-" + input));
        r.put("job", job);
        r.put("input", input);
        r.put("backend", options.get("state.backend.type"));
        r.put("parallelism", parallelism);
        throughput(r, records, seconds, (wall1 - wall0) / 1e9, cpuSeconds);
        r.put("peakRssMB", peakRssKb() / 1024);
        deleteQuietly(checkpoints);
        return r;
    }

    /** The monitor's configuration: its defaults, the run's {@code monitor.KEY=VALUE} options, then {@code fixed}. */
    private static MonitorConfig config(Map<String, String> a, Map<String, String> fixed) {
        Map<String, String> overrides = new HashMap<>();
        for (Map.Entry<String, String> e : a.entrySet()) {
            if (e.getKey().startsWith("monitor.")) {
                overrides.put(e.getKey().substring("monitor.".length()), e.getValue());
            }
        }
        overrides.putAll(fixed);
        return ConfigLoader.loadResource("/express-monitor-defaults.yaml", overrides);
    }

    /**
     * The Flink options every run starts from: the job's defaults, the checkpoint interval, and the checkpoints (and
     * the changelog's storage, if {@code --flink.state.changelog.enabled} turns it on) in the run's own folder.
     */
    private static Map<String, String> flinkOptions(Map<String, String> a, String job, Path checkpoints) {
        Map<String, String> options = new LinkedHashMap<>(MonitorPipeline.flinkDefaults());
        if (job.equals("sql")) {
            options.put("pipeline.auto-generate-uids", "true"); // the planner's operators carry no uids
        }
        options.put("execution.checkpointing.interval", a.getOrDefault("checkpoint-interval", "10s"));
        options.put("execution.checkpointing.dir", checkpoints.toUri().toString());
        options.put("state.changelog.dstl.dfs.base-path", checkpoints.resolve("changelog").toUri().toString());
        return options;
    }

    /**
     * The run's environment: {@code options}, then the run's {@code flink.KEY=VALUE} options over them. Those are
     * written into {@code options}, so that what a run reports from it (its state backend) is what it ran with.
     */
    private static StreamExecutionEnvironment environment(Map<String, String> a, Map<String, String> options,
            int parallelism) {
        for (Map.Entry<String, String> e : a.entrySet()) {
            if (e.getKey().startsWith("flink.")) {
                options.put(e.getKey().substring("flink.".length()), e.getValue());
            }
        }
        Configuration flink = new Configuration();
        options.forEach(flink::setString);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        env.setParallelism(parallelism);
        return env;
    }

    /** The parser of every run: the generated day lies at a fixed date; "now" is the end of the following day. */
    private static ScanParser parser(MonitorConfig config) {
        long now = java.time.LocalDate.parse(BenchData.DAY).plusDays(2).toEpochDay() * 86_400_000L;
        return new ScanParser(config.facilities(), config.maxFutureMillis(), () -> now);
    }

    /** The figures every run reports: records, seconds of the job, events per second and per CPU-second. */
    private static void throughput(Map<String, Object> r, long records, double seconds, double wallSeconds,
            double cpuSeconds) {
        r.put("events", records);
        r.put("seconds", round(seconds, 2));
        r.put("jobWallSeconds", round(wallSeconds, 2));
        r.put("eventsPerSecond", Math.round(records / seconds));
        r.put("cpuSeconds", round(cpuSeconds, 1));
        r.put("eventsPerCpuSecond", Math.round(records / cpuSeconds));
    }

    /** p50/p99 from the moment every split's watermark passed a window end to a record of that window at a sink. */
    private static void latency(Map<String, Object> r, String suffix, long warmupNanos, long lastWindowEnd) {
        Map<Long, Long> passed = new HashMap<>();
        MemorySource.WATERMARK_PASSED.forEach((end, times) -> {
            long max = 0;
            for (long t : times) {
                if (t == 0) {
                    return; // some split never got there while reading: the window closed at end of input
                }
                max = Math.max(max, t);
            }
            passed.put(end, max);
        });
        List<Long> lat = new ArrayList<>();
        long atEnd = 0;
        long from = MemorySource.FIRST_RECORD.get() + warmupNanos;
        for (long[] arrival : LatencySink.ARRIVALS) {
            Long p = passed.get(arrival[0]);
            if (p == null) {
                atEnd++;
            } else if (p >= from && arrival[0] <= lastWindowEnd) {
                lat.add(arrival[1] - p);
            }
        }
        if (Boolean.getBoolean("benchmark.debugLatency") && suffix.isEmpty()) {
            Map<Long, long[]> perWindow = new java.util.TreeMap<>();
            for (long[] arrival : LatencySink.ARRIVALS) {
                Long p = passed.get(arrival[0]);
                if (p != null) {
                    long[] w = perWindow.computeIfAbsent(arrival[0], k -> new long[] {p, 0, 0});
                    w[1] = Math.max(w[1], arrival[1] - p);
                    w[2]++;
                }
            }
            perWindow.forEach((end, w) -> {
                if (w[1] > 700_000_000L) {
                    System.out.printf(Locale.ROOT, "slow window %s at +%.2f s: %d ms, %d records%n",
                            java.time.Instant.ofEpochMilli(end), (w[0] - MemorySource.FIRST_RECORD.get()) / 1e9,
                            w[1] / 1_000_000, w[2]);
                }
            });
        }
        lat.sort(Comparator.naturalOrder());
        r.put("latencySamples" + suffix, lat.size());
        if (suffix.isEmpty()) {
            r.put("outputsAtEndOfInput", atEnd);
        }
        if (!lat.isEmpty()) {
            r.put("latencyP50ms" + suffix, round(lat.get(lat.size() / 2) / 1e6, 1));
            r.put("latencyP99ms" + suffix, round(p99(lat) / 1e6, 1));
            r.put("latencyMaxMs" + suffix, round(lat.get(lat.size() - 1) / 1e6, 1));
        }
    }

    /** The 99th percentile of sorted, non-empty samples (the sample at 99 % of their count). */
    static long p99(List<Long> sorted) {
        return sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * 0.99)));
    }

    /** Samples state size and live parcels while the job runs. */
    static final class Sampler extends Thread {
        private final Path checkpoints;
        volatile boolean stop;
        private double bestRocksBytes;
        private double bestParcelCfBytes;
        private double bestSstLiveBytes;
        private double rocksParcels;
        private long lastCheckpoint = -1;
        private long checkpointBytes;
        private double checkpointParcels;
        private int completedCheckpoints;
        private final List<Double> perCheckpoint = new ArrayList<>();

        Sampler(Path checkpoints) {
            super("benchmark-sampler");
            setDaemon(true);
            this.checkpoints = checkpoints;
        }

        @Override
        public void run() {
            while (!stop) {
                try {
                    Thread.sleep(250);
                    sample();
                } catch (Exception e) {
                    // keep sampling
                }
            }
        }

        private void sample() throws IOException {
            double parcels = CapturingReporter.sum("", ".parcelsInState");
            if (Boolean.getBoolean("benchmark.debugMetrics")) {
                CapturingReporter.METRICS.keySet().stream().filter(k -> k.contains("rocksdb") || k.contains("parcels"))
                        .limit(20).forEach(System.out::println);
            }
            // The parcel tracker's column families: the parcel state and (with RocksDB timers) its timers.
            double live = CapturingReporter.sum("Track parcel stays", "rocksdb_estimate-live-data-size")
                    + CapturingReporter.sum("Track parcel stays", "rocksdb_cur-size-all-mem-tables");
            double parcelOnly = CapturingReporter.sum("Track parcel stays", "parcel.rocksdb_estimate-live-data-size")
                    + CapturingReporter.sum("Track parcel stays", "parcel.rocksdb_cur-size-all-mem-tables");
            // The last sample with the most parcels alive (RocksDB's figures lag by up to the 5 s view update).
            double sstLive = CapturingReporter.sum("Track parcel stays", "rocksdb_estimate-live-data-size");
            if (parcels > 0 && live > 0 && parcels >= rocksParcels) {
                bestRocksBytes = live;
                bestSstLiveBytes = sstLive;
                bestParcelCfBytes = parcelOnly;
                rocksParcels = parcels;
            }
            Optional<Path> latest;
            try (Stream<Path> dirs = Files.walk(checkpoints, 2)) {
                latest = dirs.filter(p -> p.getFileName().toString().startsWith("chk-"))
                        .filter(p -> Files.exists(p.resolve("_metadata")))
                        .max(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().substring(4))));
            }
            if (latest.isPresent()) {
                long n = Long.parseLong(latest.get().getFileName().toString().substring(4));
                if (n != lastCheckpoint) {
                    lastCheckpoint = n;
                    completedCheckpoints++;
                    long size = sizeOf(latest.get());
                    Path shared = latest.get().resolveSibling("shared");
                    if (Files.isDirectory(shared)) {
                        size += sizeOf(shared); // incremental checkpoints: the SST files they refer to
                    }
                    if (parcels > 0) {
                        perCheckpoint.add(round(size / parcels, 1));
                    }
                    if (size > checkpointBytes && parcels > 0) {
                        checkpointBytes = size;
                        checkpointParcels = parcels;
                    }
                }
            }
        }

        private static long sizeOf(Path dir) throws IOException {
            long size = 0;
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    if (Files.isRegularFile(f)) {
                        size += Files.size(f);
                    }
                }
            }
            return size;
        }

        void report(Map<String, Object> r) {
            r.put("checkpointsSeen", completedCheckpoints);
            if (checkpointParcels > 0) {
                r.put("checkpointMB", round(checkpointBytes / 1048576.0, 1));
                r.put("parcelsAtCheckpoint", Math.round(checkpointParcels));
                r.put("checkpointBytesPerParcel", round(checkpointBytes / checkpointParcels, 1));
                r.put("checkpointBytesPerParcelSeries", perCheckpoint.toString());
            }
            if (rocksParcels > 0) {
                r.put("rocksdbLiveMB", round(bestRocksBytes / 1048576.0, 1));
                r.put("rocksdbParcels", Math.round(rocksParcels));
                r.put("rocksdbBytesPerParcel", round(bestRocksBytes / rocksParcels, 1));
                r.put("rocksdbParcelStateBytesPerParcel", round(bestParcelCfBytes / rocksParcels, 1));
                // Without the memtables, which hold every version written until their flush (a fixed-size buffer)
                r.put("rocksdbSstLiveBytesPerParcel", round(bestSstLiveBytes / rocksParcels, 1));
                r.put("rocksdbMemtablesMB", round((bestRocksBytes - bestSstLiveBytes) / 1048576.0, 1));
            }
        }
    }

    /**
     * Takes a canonical savepoint every few seconds and divides its size by the parcels alive: the exact logical
     * state per parcel (each key once, with its value and its timer; no old versions, no compression), which
     * checkpoints of RocksDB cannot show (they are its SST files, old versions included until compaction). A
     * savepoint pauses the job like a checkpoint, so the runs that take them are not throughput runs.
     */
    static final class Savepointer extends Thread {
        private final JobClient client;
        private final Path dir;
        private final long everyMillis;
        volatile boolean stop;
        final List<Double> perParcel = new ArrayList<>();
        final List<Long> parcels = new ArrayList<>();
        /** The parcel tracker's keyed state (parcels and their timers) per parcel. */
        final List<Double> parcelStatePerParcel = new ArrayList<>();
        /** The parcel tracker's waiting scans (operator state) per parcel. */
        final List<Double> waitingPerParcel = new ArrayList<>();

        /**
         * Bytes of the savepoint's files holding the parcel tracker's keyed state and its waiting scans, found by the
         * state names in each file's header.
         */
        private static long[] parcelTrackerParts(Path savepoint) throws IOException {
            long[] parts = new long[2];
            try (Stream<Path> files = Files.list(savepoint)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    byte[] head = new byte[(int) Math.min(Files.size(f), 4096)];
                    try (var in = Files.newInputStream(f)) {
                        in.readNBytes(head, 0, head.length);
                    }
                    String text = new String(head, StandardCharsets.ISO_8859_1);
                    if (text.contains("waiting-scans")) {
                        parts[1] += Files.size(f);
                    } else if (text.contains("user-timers") && text.contains("ParcelStateSerializer")) {
                        parts[0] += Files.size(f);
                    }
                }
            }
            return parts;
        }

        Savepointer(JobClient client, Path dir, long everyMillis) {
            super("benchmark-savepoints");
            setDaemon(true);
            this.client = client;
            this.dir = dir;
            this.everyMillis = everyMillis;
        }

        @Override
        public void run() {
            while (!stop) {
                try {
                    Thread.sleep(everyMillis);
                    if (stop) {
                        return;
                    }
                    double alive = CapturingReporter.sum("", ".parcelsInState");
                    String path = client.triggerSavepoint(dir.toUri().toString(), SavepointFormatType.CANONICAL)
                            .get();
                    Path savepoint = Path.of(java.net.URI.create(path));
                    double after = CapturingReporter.sum("", ".parcelsInState");
                    long size = Sampler.sizeOf(savepoint);
                    long[] parts = parcelTrackerParts(savepoint);
                    double n = (alive + after) / 2; // the savepoint is taken between the two readings
                    if (n > 0 && after >= alive) { // not while the end of input drops the parcels
                        perParcel.add(round(size / n, 1));
                        parcelStatePerParcel.add(round(parts[0] / n, 1));
                        waitingPerParcel.add(round(parts[1] / n, 1));
                        parcels.add(Math.round(n));
                    }
                } catch (Exception e) {
                    // the job ended while a savepoint was being taken
                }
            }
        }
    }

    /** CPU seconds of the busiest threads still alive (task threads of the finished job may be gone). */
    private static void printThreadCpu() {
        var threads = ManagementFactory.getThreadMXBean();
        Map<String, Double> byName = new HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            var info = threads.getThreadInfo(id);
            long cpu = threads.getThreadCpuTime(id);
            if (info != null && cpu > 0) {
                byName.merge(info.getThreadName().replaceAll("[0-9]+", "N"), cpu / 1e9, Double::sum);
            }
        }
        byName.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(12)
                .forEach(e -> System.out.printf(Locale.ROOT, "  %6.1f s  %s%n", e.getValue(), e.getKey()));
    }

    static long peakRssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return -1;
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    private static Map<String, String> parse(String[] argv) {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
                throw new IllegalArgumentException("expected --key value pairs, got " + Arrays.toString(argv));
            }
            a.put(argv[i].substring(2), argv[++i]);
        }
        return a;
    }

    private static String toJson(Map<String, Object> r) {
        StringBuilder b = new StringBuilder("{");
        for (Map.Entry<String, Object> e : r.entrySet()) {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append('"').append(e.getKey()).append("\":");
            Object v = e.getValue();
            b.append(v instanceof String s ? "\"" + s + "\"" : String.valueOf(v));
        }
        return b.append('}').toString();
    }

    /**
     * Deletes a run's temporary checkpoints. Flink may still be deleting subsumed ones when the job has finished: a
     * file gone while the folder is listed (which the listing reports as an unchecked exception) once cost a run its
     * result line. Such a listing is tried again.
     */
    private static void deleteQuietly(Path dir) {
        for (int attempt = 0; attempt < 3 && Files.exists(dir); attempt++) {
            try {
                Folders.deleteTree(dir);
            } catch (IOException e) {
                // temporary files only
            }
        }
    }
}
