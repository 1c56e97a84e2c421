package com.expressmonitor.io;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.synchronization.FutureCompletingBlockingQueue;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.KafkaSourceEnumState;
import org.apache.flink.connector.kafka.source.metrics.KafkaSourceReaderMetrics;
import org.apache.flink.connector.kafka.source.reader.KafkaPartitionSplitReader;
import org.apache.flink.connector.kafka.source.reader.KafkaRecordEmitter;
import org.apache.flink.connector.kafka.source.reader.KafkaSourceReader;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.connector.kafka.source.reader.fetcher.KafkaSourceFetcherManager;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.lineage.LineageVertexProvider;
import org.apache.flink.streaming.api.lineage.SourceLineageVertex;
import org.apache.flink.util.UserCodeClassLoader;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Properties;

/**
 * The Kafka source of scans: the connector's {@link KafkaSource}, whose readers survive watermark alignment pausing
 * or resuming a partition that has just reached its end.
 *
 * <p>In a bounded run ({@code kafka.bounded}) the connector's fetcher unassigns a partition from its consumer when it
 * reaches its stopping offset. An alignment check decided just before, on the task's thread, may still ask the
 * fetcher to pause or resume that partition, and the connector's split reader (flink-connector-kafka 5.0.0-2.2)
 * passes it to the consumer, which throws {@code IllegalStateException: No current assignment for partition}: the
 * job failed and restarted from its last checkpoint, in two of three catch-ups of the benchmark's day in one
 * afternoon (FLINK-39728, fixed in the connector's sources after that release). Here the reader pauses and resumes
 * each partition on its own and passes over one its consumer no longer holds: a partition that has reached its
 * end has nothing left to pause. Everything else is the connector's: the enumerator, splits, state and their
 * serializers are the wrapped source's, and the reader is assembled from the connector's own parts as
 * {@link KafkaSource#createReader} does. Drop this class for a connector release with the fix.
 */
public final class AlignedKafkaSource<T>
        implements Source<T, KafkaPartitionSplit, KafkaSourceEnumState>, ResultTypeQueryable<T>, LineageVertexProvider {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(AlignedKafkaSource.class);
    /** The start of the consumer's message for a partition it does not hold (Kafka's {@code SubscriptionState}). */
    static final String NOT_ASSIGNED = "No current assignment for partition";

    private final KafkaSource<T> source;
    private final KafkaRecordDeserializationSchema<T> deserializer;

    /** {@code deserializer} is the one {@code source} was built with. */
    public AlignedKafkaSource(KafkaSource<T> source, KafkaRecordDeserializationSchema<T> deserializer) {
        this.source = source;
        this.deserializer = deserializer;
    }

    @Override
    public Boundedness getBoundedness() {
        return source.getBoundedness();
    }

    @Override
    public SourceReader<T, KafkaPartitionSplit> createReader(SourceReaderContext context) throws Exception {
        Properties props = consumerProperties(source);
        deserializer.open(new DeserializationSchema.InitializationContext() {
            @Override
            public MetricGroup getMetricGroup() {
                return context.metricGroup().addGroup("deserializer");
            }

            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
                return context.getUserCodeClassLoader();
            }
        });
        KafkaSourceReaderMetrics metrics = new KafkaSourceReaderMetrics(context.metricGroup());
        FutureCompletingBlockingQueue<RecordsWithSplitIds<ConsumerRecord<byte[], byte[]>>> queue =
                new FutureCompletingBlockingQueue<>();
        Configuration config = new Configuration();
        props.stringPropertyNames().forEach(key -> config.setString(key, props.getProperty(key)));
        return new KafkaSourceReader<>(queue,
                new KafkaSourceFetcherManager(queue, () -> new EndSafeSplitReader(props, context, metrics), ids -> {}),
                new KafkaRecordEmitter<>(deserializer), config, context, metrics);
    }

    /**
     * The consumer properties {@code source} was built with, its builder's defaults included. The source keeps them
     * to itself; its lineage record carries them.
     */
    static Properties consumerProperties(KafkaSource<?> source) {
        return source.getLineageVertex().datasets().stream()
                .flatMap(dataset -> dataset.facets().values().stream())
                .filter(KafkaDatasetFacet.class::isInstance)
                .map(facet -> ((KafkaDatasetFacet) facet).getProperties())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "the Kafka source names no topics in its lineage, so its consumer properties are unknown"));
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> createEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context) {
        return source.createEnumerator(context);
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> restoreEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context, KafkaSourceEnumState state) throws IOException {
        return source.restoreEnumerator(context, state);
    }

    @Override
    public SimpleVersionedSerializer<KafkaPartitionSplit> getSplitSerializer() {
        return source.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<KafkaSourceEnumState> getEnumeratorCheckpointSerializer() {
        return source.getEnumeratorCheckpointSerializer();
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return source.getProducedType();
    }

    /** The connector's record of the topics read, for a job's lineage. */
    @Override
    public SourceLineageVertex getLineageVertex() {
        return source.getLineageVertex();
    }

    /** The connector's split reader, pausing and resuming partitions one by one and only those it still holds. */
    static final class EndSafeSplitReader extends KafkaPartitionSplitReader {
        EndSafeSplitReader(Properties props, SourceReaderContext context, KafkaSourceReaderMetrics metrics) {
            super(props, context, metrics);
        }

        @Override
        public void pauseOrResumeSplits(Collection<KafkaPartitionSplit> toPause,
                Collection<KafkaPartitionSplit> toResume) {
            // One at a time: the consumer stops at the first partition it does not hold, leaving the rest undone.
            for (KafkaPartitionSplit split : toResume) {
                pauseOrResume(split, false);
            }
            for (KafkaPartitionSplit split : toPause) {
                pauseOrResume(split, true);
            }
        }

        private void pauseOrResume(KafkaPartitionSplit split, boolean pause) {
            List<KafkaPartitionSplit> one = List.of(split);
            try {
                super.pauseOrResumeSplits(pause ? one : List.of(), pause ? List.of() : one);
            } catch (IllegalStateException e) {
                if (e.getMessage() == null || !e.getMessage().startsWith(NOT_ASSIGNED)) {
                    throw e;
                }
                // The partition reached its end and left the consumer after the alignment check chose it.
                LOG.info("Kafka partition {} has reached its end: not paused or resumed", split.getTopicPartition());
            }
        }
    }
}
