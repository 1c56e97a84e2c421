package com.expressmonitor.job;

import com.expressmonitor.config.ConfigException;
import com.expressmonitor.config.ConfigLoader;
import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.event.ScanParser;
import com.expressmonitor.generator.GeneratorSettings;
import com.expressmonitor.generator.GeneratorSource;
import com.expressmonitor.generator.NetworkModel;
import com.expressmonitor.io.ConsoleOutputs;
import com.expressmonitor.io.DirectoryOutputs;
import com.expressmonitor.io.KafkaIo;
import com.expressmonitor.io.OutputJson;
import com.expressmonitor.io.Outputs;
import com.expressmonitor.io.ReplayFileSource;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

/**
 * The Express Traffic Monitor job: the class a Flink cluster runs and the runnable jar's entry point. With no
 * arguments it simulates a Double-11 day on an embedded mini cluster and prints alerts and a district summary.
 */
public final class ExpressTrafficMonitor {
    /** The demo's configuration, bundled in the jar from {@code config/demo.yaml}. */
    static final String DEMO_CONFIG = "/config/demo.yaml";

    private ExpressTrafficMonitor() {}

    public static void main(String[] args) throws Exception {
        CommandLine cli;
        MonitorConfig config;
        try {
            cli = CommandLine.parse(args);
            config = cli.demo() || (cli.config() == null && cli.source().equals("generator"))
                    ? ConfigLoader.loadResource(DEMO_CONFIG, cli.overrides())
                    : ConfigLoader.load(cli.config(), cli.overrides());
        } catch (ConfigException e) {
            fail(e);
            return;
        }
        if (cli.demo()) {
            System.out.println("Express Traffic Monitor: simulating Double-11 (2026-11-11) across "
                    + config.districts().size() + " districts on an embedded Flink cluster. Alerts as they happen:\n");
        }
        RunSummary summary;
        try {
            summary = run(cli, config);
        } catch (ConfigException e) {
            fail(e);
            return;
        }
        if (summary != null && cli.sink().equals("console")) {
            System.out.println(summary.table());
        }
    }

    /**
     * A bad setting: one line and exit status 2, or, when a Flink cluster runs this main() (a REST or CLI submission,
     * application mode), the exception itself, so that the submission fails with the message and the process that
     * runs main() (the JobManager) lives on.
     */
    private static void fail(ConfigException e) {
        if (submittedToCluster()) {
            throw e;
        }
        System.err.println("express-traffic-monitor: " + e.getMessage());
        System.exit(2);
    }

    /** True when a Flink cluster or client runs this main() rather than {@code java -jar}. */
    static boolean submittedToCluster() {
        return !(StreamExecutionEnvironment.getExecutionEnvironment() instanceof LocalStreamEnvironment);
    }

    /** Builds and executes the job; returns the run's summary when the input was bounded and the job ended. */
    public static RunSummary run(CommandLine cli, MonitorConfig config) throws Exception {
        Configuration flink = flinkConfiguration(config);
        if (cli.sink().equals("kafka")) {
            KafkaIo.checkpointingDefaults(flink, config.flink()); // exactly-once output commits on checkpoints
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        boolean kafka = cli.source().equals("kafka") || cli.sink().equals("kafka");
        if (kafka && env instanceof LocalStreamEnvironment && !KafkaIo.missingEnvironmentVariables(config.kafka()).isEmpty()) {
            // In a local run the Kafka clients run in this process: a secret that is not here will not be there.
            throw new ConfigException("kafka.properties", "refers to environment variables that are not set: "
                    + String.join(", ", KafkaIo.missingEnvironmentVariables(config.kafka())));
        }
        if (cli.parallelism() != null) {
            env.setParallelism(cli.parallelism());
        }
        ScanParser parser = new ScanParser(config.facilities(), config.maxFutureMillis());
        ScanInput input = input(cli, config, parser);
        OutputJson json = new OutputJson(config.zoneOffsetSeconds());
        Outputs outputs;
        if (cli.sink().equals("console")) {
            outputs = ConsoleOutputs.create(config.zoneOffsetSeconds(), !cli.demo());
        } else if (cli.sink().startsWith("dir:")) {
            outputs = DirectoryOutputs.create(cli.sink().substring(4), json);
        } else {
            outputs = KafkaIo.outputs(config, json);
        }
        MonitorPipeline.build(env, config, input, outputs);
        JobExecutionResult result = env.execute("Express Traffic Monitor (" + cli.source() + " -> " + cli.sink() + ")");
        if (!result.isJobExecutionResult()) {
            return null; // detached submission: the job runs on
        }
        RunSummary summary = RunSummary.of(result);
        if (cli.sink().startsWith("dir:")) {
            summary.writeJson(Path.of(cli.sink().substring(4)));
        }
        return summary;
    }

    static ScanInput input(CommandLine cli, MonitorConfig config, ScanParser parser) {
        if (cli.source().startsWith("file:")) {
            String path = cli.source().substring(5);
            return new ScanInput(ReplayFileSource.of(path, parser), false, "Replay " + path, "source-file");
        }
        if (cli.source().equals("kafka")) {
            return new ScanInput(KafkaIo.source(config, parser), true, "Kafka " + config.kafka().scanEventsTopic(),
                    "source-kafka");
        }
        Map<String, String> g = cli.generator();
        GeneratorSettings d = GeneratorSettings.DEMO;
        GeneratorSettings settings;
        try {
            settings = new GeneratorSettings(
                    Long.parseLong(g.getOrDefault("seed", String.valueOf(d.seed()))),
                    Long.parseLong(g.getOrDefault("parcels", String.valueOf(d.parcels()))),
                    LocalDate.parse(g.getOrDefault("day", d.day())).toString());
        } catch (RuntimeException e) {
            throw new ConfigException("generator", "seed and parcels must be whole numbers and day a date yyyy-MM-dd");
        }
        return new ScanInput(new GeneratorSource(settings, NetworkModel.from(config), config.zoneOffsetSeconds(), parser), false,
                "Generator " + settings.day(), "source-generator");
    }

    /** Flink options from the {@code flink:} section over the topology's defaults; generic types always off. */
    static Configuration flinkConfiguration(MonitorConfig config) {
        Map<String, String> options = new HashMap<>(MonitorPipeline.flinkDefaults());
        options.putAll(config.flink());
        options.put("pipeline.generic-types", "false");
        return Configuration.fromMap(options);
    }
}
