package com.expressmonitor.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /**
     * The resume restored from a copy of the savepoint, in CLAIM mode: Flink deletes a claimed snapshot once newer
     * checkpoints replace it, and the superclass checks at the end that the savepoint itself is still there.
     */
    @Override
    void resumedFrom(String out) {
        Matcher m = Pattern.compile("\n  claimed: a copy, (file:/\\S+/savepoint-[0-9a-f-]+\\.claimed-\\d{8}-\\d{6}/?) "
                + "\\(the cluster runs the changelog state backend, whose restores claim their snapshot\\); the savepoint "
                + "stays as it was\n").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        claimedCopy = Path.of(URI.create(m.group(1)));
        assertThat(claimedCopy.resolve("_metadata")).isRegularFile();
    }

    /** The copy that the resume restored from. */
    private static Path claimedCopy;

    /**
     * Flink deleted the claimed copy once the resumed job's checkpoints replaced it: what it would have done to the
     * savepoint itself.
     */
    @AfterAll
    static void theClaimedCopyIsGone() throws InterruptedException {
        if (claimedCopy == null) {
            return; // the test that resumes failed before the resume, and says why
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (Files.exists(claimedCopy.resolve("_metadata")) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(claimedCopy.resolve("_metadata")).doesNotExist();
    }

    /** Before the cluster stops (the superclass's {@code @AfterAll} runs after this one). */
    @AfterAll
    static void theJobsRanOnTheChangelog() throws IOException {
        List<String> lines = taskManagerLogLines();
        assertThat(lines).anyMatch(l -> l.contains("ChangelogStateBackend is used"));
        assertThat(lines).noneMatch(l -> l.contains("does not support enforcing a full snapshot"));
    }
}
