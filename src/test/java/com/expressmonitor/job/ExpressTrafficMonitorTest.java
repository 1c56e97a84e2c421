package com.expressmonitor.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.expressmonitor.config.ConfigLoader;
import com.expressmonitor.config.MonitorConfig;

import org.apache.flink.runtime.client.JobExecutionException;
import org.apache.flink.api.common.JobID;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/** The lines the monitor prints about a run: the root cause of a failure and what each sink wrote where. */
class ExpressTrafficMonitorTest {
    @Test
    void aFailedRunIsReportedByItsInnermostCause() {
        Exception failed = new ExecutionException(new JobExecutionException(new JobID(), "Job execution failed.",
                new RuntimeException("Recovery is suppressed by NoRestartBackoffTimeStrategy",
                        new IOException("No space left on device\n\tmore detail"))));
        assertThat(ExpressTrafficMonitor.rootCause(failed)).isEqualTo("IOException: No space left on device");
        assertThat(ExpressTrafficMonitor.rootCause(new IllegalStateException())).isEqualTo("IllegalStateException");
    }

    @Test
    void everySinkEndsWithWhatItWroteWhereAndTheAccounting() {
        MonitorConfig config = ConfigLoader.defaults();
        RunSummary s = new RunSummary(130, 126, 1, 1, 2, 123, 4, Map.of(), Map.of(), Map.of(), 2_000);
        assertThat(ExpressTrafficMonitor.finalLines(CommandLine.parse(new String[] {"--source", "file:x", "--sink",
                "dir:out"}), config, s)).containsExactly("wrote 123 metrics records, 4 alerts, 2 dead letters and 1 late "
                + "event to out/; input 130 = 126 counted + 1 duplicate + 1 late + 2 invalid");
        assertThat(ExpressTrafficMonitor.finalLines(CommandLine.parse(new String[] {"--source", "kafka", "--sink",
                "kafka"}), config, s)).containsExactly("wrote 123 metrics records to express.district-metrics, 4 alerts "
                + "to express.alerts, 2 dead letters to express.dead-letter and 1 late event to express.late-events at "
                + "localhost:9092; input 130 = 126 counted + 1 duplicate + 1 late + 2 invalid");
        assertThat(ExpressTrafficMonitor.finalLines(CommandLine.parse(new String[] {"--source", "file:x"}), config, s))
                .containsExactly("done: 123 metrics records, 4 alerts, 2 dead letters and 1 late event; "
                        + "input 130 = 126 counted + 1 duplicate + 1 late + 2 invalid");
    }
}
