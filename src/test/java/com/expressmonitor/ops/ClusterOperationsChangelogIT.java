package com.expressmonitor.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The operator's path of {@link ClusterOperationsIT} on a cluster that runs the changelog state backend, turned on as
 * Configuration describes: the log's storage in the cluster's configuration (a TaskManager's, not a job's), and
 * restores in CLAIM mode, without which a job restored from a savepoint or checkpoint fails at its first checkpoint.
 * The same tests: a lost TaskManager, a stop with a savepoint and a resume at another parallelism, nothing lost or
 * written twice.
 */
class ClusterOperationsChangelogIT extends ClusterOperationsIT {
    /** The lines added to the cluster's configuration, the log beside the cluster's own folders under {@code work}. */
    static String clusterSettings(Path work) {
        return "\nstate.changelog.enabled: true\nstate.changelog.storage: filesystem"
                + "\nstate.changelog.dstl.dfs.base-path: file://" + work.resolve("changelog")
                + "\nexecution.state-recovery.claim-mode: CLAIM";
    }

    /** Before the cluster stops (the superclass's {@code @AfterAll} runs after this one). */
    @AfterAll
    static void theJobsRanOnTheChangelog() throws IOException {
        List<String> lines = taskManagerLogLines();
        assertThat(lines).anyMatch(l -> l.contains("ChangelogStateBackend is used"));
        assertThat(lines).noneMatch(l -> l.contains("does not support enforcing a full snapshot"));
    }
}
