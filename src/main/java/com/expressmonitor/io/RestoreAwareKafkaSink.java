package com.expressmonitor.io;

import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.kafka.sink.KafkaCommittable;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaWriterState;
import org.apache.flink.connector.kafka.sink.TwoPhaseCommittingStatefulSink;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.SupportsPostCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Flink's exactly-once {@link KafkaSink}, unchanged, except that after a restore it does not commit again what was
 * committed before, so that a normal recovery logs no error.
 *
 * <p>Why: when a job restarts from a checkpoint or a savepoint, Flink commits the transactions of that checkpoint again,
 * whether or not they were committed before the failure. On brokers with transaction protocol 2 (the default of Kafka
 * 4) every commit raises the producer's epoch, so that second commit, made with the old epoch, is refused as fenced,
 * and Kafka's committer logs "... producer is already fenced ... this most likely signals data loss", exactly as it
 * does when a transaction was really lost (aborted after its timeout). Here the committer first asks the transaction
 * coordinator about each restored transaction: when the coordinator records that very producer's transaction as
 * committed (with the epoch the commit produced), the commit is reported as already done (the committer's
 * {@code alreadyCommittedCommittables} metric) with one INFO line. Everything else goes to Kafka's committer as
 * before, so an aborted transaction still fails with its ERROR and its {@code failedCommittables} count.
 *
 * <p>Writer, committer, their state and their operator names are those of the wrapped sink: checkpoints and
 * savepoints are the same.
 */
public final class RestoreAwareKafkaSink<T>
        implements TwoPhaseCommittingStatefulSink<T, KafkaWriterState, KafkaCommittable>,
                SupportsPostCommitTopology<KafkaCommittable> {
    private static final long serialVersionUID = 1L;

    private final KafkaSink<T> sink;
    /** Connection and security properties of the sink's clients, for the coordinator queries. */
    private final Properties adminProperties;

    public RestoreAwareKafkaSink(KafkaSink<T> sink, Properties adminProperties) {
        this.sink = sink;
        this.adminProperties = adminProperties;
    }

    @Override
    public PrecommittingStatefulSinkWriter<T, KafkaWriterState, KafkaCommittable> createWriter(WriterInitContext context)
            throws IOException {
        return sink.createWriter(context);
    }

    @Override
    public PrecommittingStatefulSinkWriter<T, KafkaWriterState, KafkaCommittable> restoreWriter(
            WriterInitContext context, Collection<KafkaWriterState> recoveredState) throws IOException {
        return sink.restoreWriter(context, recoveredState);
    }

    @Override
    public SimpleVersionedSerializer<KafkaWriterState> getWriterStateSerializer() {
        return sink.getWriterStateSerializer();
    }

    @Override
    public SimpleVersionedSerializer<KafkaCommittable> getCommittableSerializer() {
        return sink.getCommittableSerializer();
    }

    /** Keeps writer and committer together, as the wrapped sink does, so commits use the writer's producer. */
    @Override
    public void addPostCommitTopology(DataStream<CommittableMessage<KafkaCommittable>> committables) {
        sink.addPostCommitTopology(committables);
    }

    @Override
    public Committer<KafkaCommittable> createCommitter(CommitterInitContext context) throws IOException {
        return new RecommitCheckingCommitter(sink.createCommitter(context), adminProperties);
    }

    /** Kafka's committer, with restored transactions that are already committed recognised first. */
    static final class RecommitCheckingCommitter implements Committer<KafkaCommittable> {
        private static final Logger LOG = LoggerFactory.getLogger(RestoreAwareKafkaSink.class);

        private final Committer<KafkaCommittable> committer;
        private final Properties adminProperties;
        private Admin admin;

        RecommitCheckingCommitter(Committer<KafkaCommittable> committer, Properties adminProperties) {
            this.committer = committer;
            this.adminProperties = adminProperties;
        }

        @Override
        public void commit(Collection<CommitRequest<KafkaCommittable>> requests) throws IOException, InterruptedException {
            List<CommitRequest<KafkaCommittable>> toCommit = new ArrayList<>(requests.size());
            for (CommitRequest<KafkaCommittable> request : requests) {
                KafkaCommittable c = request.getCommittable();
                // Only a restored transaction comes without its writer's producer; in steady state nothing is asked.
                if (c.getProducer().isEmpty() && alreadyCommitted(c)) {
                    LOG.info("Transaction {} (producer id {}, epoch {}) was committed before the restore; not committing "
                            + "it again.", c.getTransactionalId(), c.getProducerId(), c.getEpoch());
                    request.signalAlreadyCommitted();
                } else {
                    toCommit.add(request);
                }
            }
            if (!toCommit.isEmpty()) {
                committer.commit(toCommit);
            }
        }

        /**
         * True only when the coordinator records this producer's transaction as committed: the same producer id, and
         * the committable's epoch or the one above it (protocol 2 raises the epoch when it commits). Anything else,
         * including no answer, is left to Kafka's committer.
         */
        private boolean alreadyCommitted(KafkaCommittable c) throws InterruptedException {
            try {
                if (admin == null) {
                    admin = Admin.create(adminProperties);
                }
                for (int attempt = 0; attempt < 50; attempt++) {
                    TransactionDescription d = admin.describeTransactions(List.of(c.getTransactionalId()))
                            .description(c.getTransactionalId()).get(30, TimeUnit.SECONDS);
                    if (d.state() == TransactionState.PREPARE_COMMIT || d.state() == TransactionState.PREPARE_ABORT) {
                        Thread.sleep(100); // its markers are being written: the outcome is about to be final
                        continue;
                    }
                    return d.state() == TransactionState.COMPLETE_COMMIT && d.producerId() == c.getProducerId()
                            && (d.producerEpoch() == c.getEpoch() || d.producerEpoch() == c.getEpoch() + 1);
                }
                return false;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                LOG.debug("Could not look up transaction {}; Kafka's committer decides.", c.getTransactionalId(), e);
                return false;
            }
        }

        @Override
        public void close() throws Exception {
            try {
                committer.close();
            } finally {
                if (admin != null) {
                    admin.close(Duration.ofSeconds(5));
                }
            }
        }
    }
}
