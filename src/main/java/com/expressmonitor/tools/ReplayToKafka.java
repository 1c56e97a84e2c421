package com.expressmonitor.tools;

import com.expressmonitor.config.ConfigException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Writes a JSON-lines scan file into the input topic, one record per non-blank line, in file order, keyed by the
 * line's {@code waybillNo} (so a parcel's scans stay in one partition). Lines that are not valid records are
 * written too, keyed null, so that they reach the dead-letter output. As fast as the broker takes them, or at
 * {@code --rate} records per second (a rehearsal at a given load, or a load test that leaves the machine to the job
 * instead of to a simulation).
 *
 * <pre>
 * java -cp express-traffic-monitor.jar com.expressmonitor.tools.ReplayToKafka --file scans.jsonl [--rate N]
 *     [--config FILE] [--kafka.bootstrap-servers HOST:PORT] [--kafka.topics.scan-events TOPIC]
 * </pre>
 */
public final class ReplayToKafka {
    private ReplayToKafka() {}

    public static void main(String[] args) {
        ToolArgs.run("replay-to-kafka", () -> replayFile(args));
    }

    /** Replays the file that {@code args} name (what {@link #main} runs, for tests). */
    static void replayFile(String[] args) throws Exception {
        ToolArgs a = ToolArgs.parse(args, Set.of("file", "rate"));
        String file = a.option("file", null);
        if (file == null) {
            throw new ConfigException("file", "is required: the JSON-lines file to write into Kafka");
        }
        String topic = a.config.kafka().scanEventsTopic();
        long written = replay(Path.of(file), topic, a);
        System.out.println("wrote " + written + " records from " + file + " to " + topic);
    }

    static long replay(Path file, String topic, ToolArgs a) throws IOException, InterruptedException {
        long rate = a.longOption("rate", 0);
        if (a.options.containsKey("rate") && rate < 1) {
            throw new ConfigException("rate", "must be at least 1 record per second (leave it out for full speed)");
        }
        long written = 0;
        long start = System.nanoTime();
        Delivery delivery = new Delivery("replay-to-kafka");
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
                KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(a.producerProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
            ByteArrayOutputStream line = new ByteArrayOutputStream(512);
            int b;
            boolean more = true;
            while (more) {
                b = in.read();
                if (b >= 0 && b != '\n') {
                    line.write(b);
                    continue;
                }
                more = b >= 0;
                byte[] value = trimCarriageReturn(line.toByteArray());
                line.reset();
                if (isBlank(value)) {
                    continue;
                }
                if (rate > 0) {
                    Pause.sleep(start + written * TimeUnit.SECONDS.toNanos(1) / rate - System.nanoTime(), producer);
                }
                producer.send(new ProducerRecord<>(topic, ToolArgs.waybillKey(value), value), delivery);
                written++;
            }
            producer.flush();
        }
        delivery.confirm(written, topic);
        return written;
    }

    private static byte[] trimCarriageReturn(byte[] line) {
        return line.length > 0 && line[line.length - 1] == '\r' ? java.util.Arrays.copyOf(line, line.length - 1) : line;
    }

    static boolean isBlank(byte[] line) {
        for (byte c : line) {
            if (c != ' ' && c != '\t' && c != '\r') {
                return false;
            }
        }
        return true;
    }
}
