package com.expressmonitor.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.expressmonitor.tools.FlinkJobs.Restore;
import com.expressmonitor.tools.FlinkRest.Refused;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * How {@code flink-job.sh submit --from} and {@code resume} restore where restores must claim their snapshot (the
 * changelog state backend): the operator's savepoint is never handed to Flink to delete unless asked.
 */
class FlinkJobsRestoreTest {
    private static final String REASON = "the cluster runs the changelog state backend, whose restores claim their snapshot";
    private static final Instant NOW = Instant.parse("2026-11-11T03:04:05Z");
    private static final String STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneId.systemDefault())
            .format(NOW);

    @Test
    void aClusterThatDoesNotClaimRestoresTheSnapshotItselfWithoutClaimingIt() throws Exception {
        assertThat(FlinkJobs.restore("file:/sp/savepoint-1a2b3c-0123456789ab", null, false, NOW))
                .isEqualTo(new Restore("file:/sp/savepoint-1a2b3c-0123456789ab", false, null, null));
    }

    @Test
    void aLocalSavepointIsCopiedBesideItselfAndTheCopyClaimed(@TempDir Path tmp) throws Exception {
        Path savepoint = Files.createDirectories(tmp.resolve("savepoint-1a2b3c-0123456789ab"));
        Files.writeString(savepoint.resolve("_metadata"), "metadata");
        Files.writeString(Files.createDirectories(savepoint.resolve("sub")).resolve("state"), "state");

        Restore r = FlinkJobs.restore(savepoint.toUri().toString(), REASON, false, NOW);

        Path copy = tmp.resolve("savepoint-1a2b3c-0123456789ab.claimed-" + STAMP);
        assertThat(r).isEqualTo(new Restore(copy.toUri().toString(), true, copy, "claimed: a copy, " + copy.toUri()
                + " (" + REASON + "); the savepoint stays as it was"));
        assertThat(copy.resolve("_metadata")).hasContent("metadata");
        assertThat(copy.resolve("sub/state")).hasContent("state");
        assertThat(savepoint.resolve("_metadata")).hasContent("metadata");
        assertThat(savepoint.resolve("sub/state")).hasContent("state");
    }

    @Test
    void aSavepointNamedByItsMetadataFileIsCopiedToo(@TempDir Path tmp) throws Exception {
        Path savepoint = Files.createDirectories(tmp.resolve("savepoint-1a2b3c-0123456789ab"));
        Files.writeString(savepoint.resolve("_metadata"), "metadata");

        Restore r = FlinkJobs.restore(savepoint.resolve("_metadata").toString(), REASON, false, NOW);

        Path copy = tmp.resolve("savepoint-1a2b3c-0123456789ab.claimed-" + STAMP);
        assertThat(r.copy()).isEqualTo(copy);
        assertThat(r.path()).isEqualTo(copy.toUri().toString());
        assertThat(copy.resolve("_metadata")).hasContent("metadata");
        assertThat(savepoint.resolve("_metadata")).hasContent("metadata");
        assertThatThrownBy(() -> FlinkJobs.restore("s3://b/savepoint-1a2b3c-0123456789ab/_metadata", REASON, false, NOW))
                .isInstanceOf(Refused.class).hasMessageContaining("add --claim to hand it over");
    }

    @Test
    void aRetainedCheckpointIsHandedOver() throws Exception {
        String chk = "file:/ck/0f1e2d3c4b5a69788796a5b4c3d2e1f0/chk-42";
        assertThat(FlinkJobs.restore(chk, REASON, false, NOW)).isEqualTo(new Restore(chk, true, null, "claimed: " + chk
                + " now belongs to Flink, which deletes it once newer checkpoints replace it (" + REASON + ")"));
    }

    @Test
    void aSavepointOnAnotherFileSystemIsRefusedUnlessHandedOver() throws Exception {
        String s3 = "s3://bucket/savepoints/savepoint-1a2b3c-0123456789ab";
        assertThatThrownBy(() -> FlinkJobs.restore(s3, REASON, false, NOW)).isInstanceOf(Refused.class)
                .hasMessage(REASON + ", which would hand savepoint " + s3 + " to Flink to delete once newer checkpoints "
                        + "replace it; copy it and resume from the copy, or add --claim to hand it over");
        assertThat(FlinkJobs.restore(s3, REASON, true, NOW)).isEqualTo(new Restore(s3, true, null, "claimed: " + s3
                + " now belongs to Flink, which deletes it once newer checkpoints replace it (" + REASON + ")"));
    }

    @Test
    void claimAskedOfAClusterThatDoesNotClaimHandsTheSnapshotOver(@TempDir Path tmp) throws Exception {
        String savepoint = tmp.resolve("savepoint-1a2b3c-0123456789ab").toUri().toString();
        assertThat(FlinkJobs.restore(savepoint, null, true, NOW)).isEqualTo(new Restore(savepoint, true, null,
                "claimed: " + savepoint + " now belongs to Flink, which deletes it once newer checkpoints replace it"));
    }
}
