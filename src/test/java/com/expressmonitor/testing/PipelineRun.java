package com.expressmonitor.testing;

import com.expressmonitor.alert.Alert;
import com.expressmonitor.alert.RuleResult;
import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.district.DistrictMetrics;
import com.expressmonitor.event.DeadLetter;
import com.expressmonitor.event.LateEvent;
import com.expressmonitor.event.ScanParser;
import com.expressmonitor.io.OutputJson;
import com.expressmonitor.io.ReplayFileSource;
import com.expressmonitor.job.MonitorPipeline;
import com.expressmonitor.io.Outputs;
import com.expressmonitor.job.RuleInput;
import com.expressmonitor.job.RunSummary;
import com.expressmonitor.job.ScanInput;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs the real pipeline on a mini cluster (started by the test's {@code MiniClusterExtension}) and returns its
 * outputs as the JSON lines the {@code dir:} sink would write, sorted, so that tests compare exact text.
 */
public final class PipelineRun {
    /** Fixed "now" for validation (2030-01-01T00:00:00Z), so that future-time checks do not depend on the date. */
    public static final long NOW = 1_893_456_000_000L;

    private PipelineRun() {}

    /** The outputs of one run as sorted JSON lines, plus the run's counts. */
    public record Result(List<String> metrics, List<String> alerts, List<String> deadLetters, List<String> lateEvents,
            List<RuleResult> ruleResults, RunSummary summary) {}

    public static Result replay(MonitorConfig config, String path, int parallelism) throws Exception {
        return run(config, replayInput(config, path), parallelism);
    }

    /** A replay of {@code path} as the job's input, validated against the fixed "now". */
    public static ScanInput replayInput(MonitorConfig config, String path) {
        ScanParser parser = new ScanParser(config.facilities(), config.maxFutureMillis(), () -> NOW);
        return new ScanInput(ReplayFileSource.of(path, parser), false, "replay", "source-file");
    }

    public static Result run(MonitorConfig config, ScanInput input, int parallelism) throws Exception {
        return run(config, input, parallelism, Map.of(), 0);
    }

    /**
     * Runs with extra Flink options; with {@code failAtMetric > 0} the job fails once when that many metrics records
     * have reached the sink (the outputs then hold what was written before and after the restart).
     */
    public static Result run(MonitorConfig config, ScanInput input, int parallelism, Map<String, String> flinkOptions,
            int failAtMetric) throws Exception {
        return run(config, input, RuleInput.none(), parallelism, flinkOptions, failAtMetric);
    }

    /** A run with rule updates. */
    public static Result run(MonitorConfig config, ScanInput input, RuleInput rules, int parallelism) throws Exception {
        return run(config, input, rules, parallelism, Map.of(), 0);
    }

    private static Result run(MonitorConfig config, ScanInput input, RuleInput rules, int parallelism,
            Map<String, String> flinkOptions, int failAtMetric) throws Exception {
        Configuration flink = new Configuration();
        MonitorPipeline.flinkDefaults().forEach(flink::setString);
        flinkOptions.forEach(flink::setString);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        env.setParallelism(parallelism);
        CollectingSink<DistrictMetrics> metrics = new CollectingSink<>();
        CollectingSink<Alert> alerts = new CollectingSink<>();
        CollectingSink<DeadLetter> dead = new CollectingSink<>();
        CollectingSink<LateEvent> late = new CollectingSink<>();
        CollectingSink<RuleResult> ruleResults = new CollectingSink<>();
        FailOnceSink<DistrictMetrics> failing = failAtMetric > 0 ? new FailOnceSink<>(metrics, failAtMetric) : null;
        MonitorPipeline.build(env, config, input, rules,
                new Outputs(failing != null ? failing : metrics, alerts, dead, late, ruleResults));
        JobExecutionResult result = env.execute("test");
        if (failing != null && !failing.failed()) {
            throw new IllegalStateException("the job ended before the injected failure");
        }
        OutputJson json = new OutputJson(config.zoneOffsetSeconds());
        return new Result(lines(metrics.results(), json::metrics), lines(alerts.results(), json::alert),
                lines(dead.results(), json::deadLetter), lines(late.results(), json::lateEvent), ruleResults.results(),
                RunSummary.of(result));
    }

    private static <T> List<String> lines(List<T> records, Function<T, byte[]> toJson) {
        return records.stream().map(r -> new String(toJson.apply(r), StandardCharsets.UTF_8)).sorted().toList();
    }
}
