package com.expressmonitor.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/**
 * The wait for a new topic's partitions to be served ({@link KafkaPreflight#awaitServed}), with a probe that answers
 * as a broker does in the moment after the topic was created.
 */
class KafkaPreflightServedTest {
    private static final List<String> TOPICS = List.of("express.scan-events", "express.alerts");

    @Test
    void waitsWhileThePartitionsHaveNoLeaderYet() {
        AtomicInteger calls = new AtomicInteger();

        KafkaPreflight.awaitServed(() -> {
            if (calls.incrementAndGet() <= 3) {
                throw new ExecutionException(new NotLeaderOrFollowerException("not the leader yet"));
            }
        }, TOPICS, Duration.ofSeconds(30));

        assertThat(calls).hasValue(4);
    }

    @Test
    void namesTheTopicsWhenNoLeaderServesThemInTime() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> KafkaPreflight.awaitServed(() -> {
            calls.incrementAndGet();
            throw new ExecutionException(new NotLeaderOrFollowerException("For requests intended only for the leader"));
        }, TOPICS, Duration.ofSeconds(1)))
                .isInstanceOf(StartupCheckException.class)
                .hasMessage("the partitions of express.scan-events, express.alerts have no leader that serves them "
                        + "after 1 s (For requests intended only for the leader); is every broker of the cluster up?");
        assertThat(calls.get()).as("tried again until the deadline").isGreaterThan(1);
    }

    @Test
    void anErrorThatWaitingCannotMendEndsTheWaitAtOnce() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> KafkaPreflight.awaitServed(() -> {
            calls.incrementAndGet();
            throw new ExecutionException(
                    new TopicAuthorizationException("Not authorized to access topics: [express.alerts]"));
        }, TOPICS, Duration.ofSeconds(30)))
                .isInstanceOf(StartupCheckException.class)
                .hasMessage("the partitions of express.scan-events, express.alerts cannot be read: "
                        + "Not authorized to access topics: [express.alerts]");
        assertThat(calls).hasValue(1);
    }
}
