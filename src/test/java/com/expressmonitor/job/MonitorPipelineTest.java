package com.expressmonitor.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.expressmonitor.config.ConfigLoader;
import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.event.ScanParser;
import com.expressmonitor.io.ConsoleOutputs;
import com.expressmonitor.io.KafkaIo;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamEdge;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.runtime.partitioner.ForwardPartitioner;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

/** The network buffer timeouts of the topology's edges, as Flink builds its graph. */
class MonitorPipelineTest {
    /** The network edges between the operators, leaving out the sinks' and the rule updates' source's. */
    private static final String[] EDGES = {"classify-scans -> parcel-tracker", "parcel-tracker -> district-metrics",
        "district-metrics -> district-alerts", "district-metrics-time -> alert-rules",
        "alert-rules -> district-alerts"};

    @Test
    void theEdgesAfterTheTrackerFlushWithinTenMillisecondsAndTheScansEdgeWithinTwentyFive() {
        assertThat(timeouts(new Configuration())).isEqualTo(scansEdgeThenTen(25));
    }

    @Test
    void aTimeoutBetweenTheTwoHoldsOnTheScansEdge() {
        Configuration conf = new Configuration();
        conf.setString("execution.buffer-timeout.interval", "20ms");
        assertThat(timeouts(conf)).isEqualTo(scansEdgeThenTen(20));
    }

    @Test
    void aShorterConfiguredTimeoutHoldsEverywhere() {
        Configuration conf = new Configuration();
        conf.setString("execution.buffer-timeout.interval", "5ms");
        assertThat(timeouts(conf)).containsOnlyKeys(EDGES)
                .allSatisfy((edge, ms) -> assertThat(ms).as(edge).isEqualTo(5L));
    }

    @Test
    void aJobThatFlushesOnlyFullBuffersKeepsThatOnEveryEdge() {
        Configuration conf = new Configuration();
        conf.setString("execution.buffer-timeout.enabled", "false");
        assertThat(timeouts(conf)).containsOnlyKeys(EDGES)
                .allSatisfy((edge, ms) -> assertThat(ms).as(edge).isEqualTo(-1L));
    }

    @Test
    void onlyAStreamingRunGetsTheEdgesTimeouts() {
        assertThat(MonitorPipeline.edgeBufferTimeout(RuntimeExecutionMode.STREAMING, 100, 10)).isEqualTo(10);
        assertThat(MonitorPipeline.edgeBufferTimeout(RuntimeExecutionMode.STREAMING, 100, 25)).isEqualTo(25);
        assertThat(MonitorPipeline.edgeBufferTimeout(RuntimeExecutionMode.STREAMING, 0, 25)).isZero();
        assertThat(MonitorPipeline.edgeBufferTimeout(RuntimeExecutionMode.STREAMING, -1, 25)).isEqualTo(-1);
        assertThat(MonitorPipeline.edgeBufferTimeout(RuntimeExecutionMode.BATCH, 100, 25)).isEqualTo(-1);
        assertThat(MonitorPipeline.edgeBufferTimeout(RuntimeExecutionMode.AUTOMATIC, 100, 25)).isEqualTo(-1);
    }

    /** {@code scans} ms on the scans' edge into the tracker, 10 ms on the edges after it. */
    private static Map<String, Long> scansEdgeThenTen(long scans) {
        return Map.of(
                "classify-scans -> parcel-tracker", scans,
                "parcel-tracker -> district-metrics", 10L,
                "district-metrics -> district-alerts", 10L,
                "district-metrics-time -> alert-rules", 10L,
                "alert-rules -> district-alerts", 10L);
    }

    /** The buffer timeout of each of the {@link #EDGES}, as Flink's graph of the topology has it. */
    private static Map<String, Long> timeouts(Configuration conf) {
        MonitorConfig config = ConfigLoader.defaults();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        ScanInput input = new ScanInput(KafkaIo.source(config, new ScanParser(config.facilities(),
                config.maxFutureMillis())), true, "Kafka", "source-kafka");
        MonitorPipeline.build(env, config, input,
                ConsoleOutputs.create(config.zoneOffsetSeconds(), false, false, false));
        StreamGraph graph = env.getStreamGraph();
        Map<String, Long> timeouts = new TreeMap<>();
        for (StreamNode node : graph.getStreamNodes()) {
            for (StreamEdge edge : node.getOutEdges()) {
                StreamNode target = graph.getStreamNode(edge.getTargetId());
                String from = node.getTransformationUID();
                String to = target.getTransformationUID();
                // A forward edge between equal parallelisms is chained: no network buffer.
                boolean chained = node.getParallelism() == target.getParallelism()
                        && edge.getPartitioner() instanceof ForwardPartitioner;
                boolean output = to.startsWith("sink-") || to.startsWith("Sink Committer") || from.startsWith("rule-");
                if (!chained && !output) {
                    timeouts.put(from + " -> " + to, edge.getBufferTimeout());
                }
            }
        }
        return timeouts;
    }
}
