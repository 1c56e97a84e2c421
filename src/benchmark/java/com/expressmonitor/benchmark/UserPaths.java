package com.expressmonitor.benchmark;

import com.expressmonitor.config.KafkaSettings;
import com.expressmonitor.io.KafkaIo;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** How many records a user's input holds: the non-blank lines of replay files, or a Kafka topic's records. */
final class UserPaths {
    private UserPaths() {}

    /** Non-blank lines of a file, or of the visible files of a folder (as the replay reads them). */
    static long lines(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            return linesOf(path);
        }
        long n = 0;
        try (Stream<Path> files = Files.list(path)) {
            for (Path f : files.filter(f -> !f.getFileName().toString().startsWith(".")
                    && !f.getFileName().toString().startsWith("_") && Files.isRegularFile(f)).toList()) {
                n += linesOf(f);
            }
        }
        return n;
    }

    private static long linesOf(Path file) throws IOException {
        long n = 0;
        boolean blank = true;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int r; (r = in.read(buf)) > 0; ) {
                for (int i = 0; i < r; i++) {
                    byte b = buf[i];
                    if (b == '\n') {
                        n += blank ? 0 : 1;
                        blank = true;
                    } else if (b != ' ' && b != '\t' && b != '\r') {
                        blank = false;
                    }
                }
            }
        }
        return n + (blank ? 0 : 1);
    }

    /** Records in the input topic (its end offsets: a topic written without transactions holds no markers). */
    static long records(KafkaSettings k) throws Exception {
        try (Admin admin = Admin.create(KafkaIo.adminProperties(k))) {
            String topic = k.scanEventsTopic();
            List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                    .partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, OffsetSpec> latest = partitions.stream()
                    .collect(Collectors.toMap(Function.identity(), p -> OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get().values().stream().mapToLong(o -> o.offset()).sum();
        }
    }
}
