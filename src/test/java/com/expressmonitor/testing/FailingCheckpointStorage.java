package com.expressmonitor.testing;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.runtime.state.CheckpointStateOutputStream;
import org.apache.flink.runtime.state.CheckpointStateToolset;
import org.apache.flink.runtime.state.CheckpointStorage;
import org.apache.flink.runtime.state.CheckpointStorageAccess;
import org.apache.flink.runtime.state.CheckpointStorageFactory;
import org.apache.flink.runtime.state.CheckpointStorageLocation;
import org.apache.flink.runtime.state.CheckpointStorageLocationReference;
import org.apache.flink.runtime.state.CheckpointStreamFactory;
import org.apache.flink.runtime.state.CheckpointedStateScope;
import org.apache.flink.runtime.state.CompletedCheckpointStorageLocation;
import org.apache.flink.runtime.state.StreamStateHandle;
import org.apache.flink.runtime.state.storage.FileSystemCheckpointStorage;

import java.io.IOException;
import java.util.List;

/**
 * File-system checkpoint storage whose task-side streams fail for one checkpoint: the failure comes in the
 * asynchronous part of that checkpoint, while the tasks write their state. Configured with
 * {@code execution.checkpointing.storage: com.expressmonitor.testing.FailingCheckpointStorage$Factory} and
 * {@code test.fail-checkpoint-id: N}.
 */
public final class FailingCheckpointStorage implements CheckpointStorage {
    private static final long serialVersionUID = 1L;
    public static final ConfigOption<Long> FAIL_CHECKPOINT =
            ConfigOptions.key("test.fail-checkpoint-id").longType().defaultValue(-1L);

    /** Builds the storage from the job's configuration (the file-system storage, plus the checkpoint to fail). */
    public static final class Factory implements CheckpointStorageFactory<FailingCheckpointStorage> {
        @Override
        public FailingCheckpointStorage createFromConfig(ReadableConfig config, ClassLoader classLoader) {
            return new FailingCheckpointStorage(FileSystemCheckpointStorage.createFromConfig(config, classLoader),
                    config.get(FAIL_CHECKPOINT));
        }
    }

    private final CheckpointStorage storage;
    private final long failCheckpointId;

    FailingCheckpointStorage(CheckpointStorage storage, long failCheckpointId) {
        this.storage = storage;
        this.failCheckpointId = failCheckpointId;
    }

    @Override
    public CompletedCheckpointStorageLocation resolveCheckpoint(String pointer) throws IOException {
        return storage.resolveCheckpoint(pointer);
    }

    @Override
    public CheckpointStorageAccess createCheckpointStorage(JobID jobId) throws IOException {
        CheckpointStorageAccess access = storage.createCheckpointStorage(jobId);
        return new CheckpointStorageAccess() {
            @Override
            public boolean supportsHighlyAvailableStorage() {
                return access.supportsHighlyAvailableStorage();
            }

            @Override
            public boolean hasDefaultSavepointLocation() {
                return access.hasDefaultSavepointLocation();
            }

            @Override
            public CompletedCheckpointStorageLocation resolveCheckpoint(String pointer) throws IOException {
                return access.resolveCheckpoint(pointer);
            }

            @Override
            public void initializeBaseLocationsForCheckpoint() throws IOException {
                access.initializeBaseLocationsForCheckpoint();
            }

            @Override
            public CheckpointStorageLocation initializeLocationForCheckpoint(long id) throws IOException {
                return access.initializeLocationForCheckpoint(id);
            }

            @Override
            public CheckpointStorageLocation initializeLocationForSavepoint(long id, String target) throws IOException {
                return access.initializeLocationForSavepoint(id, target);
            }

            @Override
            public CheckpointStateOutputStream createTaskOwnedStateStream() throws IOException {
                return access.createTaskOwnedStateStream();
            }

            @Override
            public CheckpointStateToolset createTaskOwnedCheckpointStateToolset() {
                return access.createTaskOwnedCheckpointStateToolset();
            }

            @Override
            public CheckpointStreamFactory resolveCheckpointStorageLocation(long checkpointId,
                    CheckpointStorageLocationReference reference) throws IOException {
                CheckpointStreamFactory streams = access.resolveCheckpointStorageLocation(checkpointId, reference);
                return checkpointId == failCheckpointId ? failing(streams, checkpointId) : streams;
            }
        };
    }

    private static CheckpointStreamFactory failing(CheckpointStreamFactory streams, long checkpointId) {
        return new CheckpointStreamFactory() {
            @Override
            public CheckpointStateOutputStream createCheckpointStateOutputStream(CheckpointedStateScope scope) {
                return new CheckpointStateOutputStream() {
                    private IOException failure() {
                        return new IOException("injected failure writing checkpoint " + checkpointId);
                    }

                    @Override
                    public void write(int b) throws IOException {
                        throw failure();
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        throw failure();
                    }

                    @Override
                    public long getPos() {
                        return 0;
                    }

                    @Override
                    public void flush() {}

                    @Override
                    public void sync() {}

                    @Override
                    public void close() {}

                    @Override
                    public StreamStateHandle closeAndGetHandle() throws IOException {
                        throw failure();
                    }
                };
            }

            @Override
            public boolean canFastDuplicate(StreamStateHandle handle, CheckpointedStateScope scope) throws IOException {
                return streams.canFastDuplicate(handle, scope);
            }

            @Override
            public List<StreamStateHandle> duplicate(List<StreamStateHandle> handles, CheckpointedStateScope scope)
                    throws IOException {
                return streams.duplicate(handles, scope);
            }
        };
    }
}
