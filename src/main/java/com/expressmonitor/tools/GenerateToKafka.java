package com.expressmonitor.tools;

import com.expressmonitor.config.ConfigException;
import com.expressmonitor.generator.GeneratorSettings;
import com.expressmonitor.generator.NetworkModel;
import com.expressmonitor.generator.TrafficSimulator;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.LocalDate;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes realistic scan traffic (the built-in simulator: a day of parcels across real districts, with surges,
 * missed scans, exceptions and a few duplicate, late and garbled records) into the input topic at a chosen rate,
 * keyed by waybill number. It ends when the simulated day's parcels are all delivered, or after
 * {@code --max-events}.
 *
 * <pre>
 * java -cp express-traffic-monitor.jar com.expressmonitor.tools.GenerateToKafka [--rate 2000] [--parcels 60000]
 *     [--day 2026-11-11] [--seed 11] [--max-events N] [--config FILE] [--kafka.bootstrap-servers HOST:PORT]
 * </pre>
 */
public final class GenerateToKafka {
    private GenerateToKafka() {}

    public static void main(String[] args) {
        ToolArgs.run("generate-to-kafka", () -> {
            ToolArgs a = ToolArgs.parse(args, Set.of("rate", "parcels", "day", "seed", "max-events"));
            long rate = a.longOption("rate", 2000);
            if (rate < 1) {
                throw new ConfigException("rate", "must be at least 1 event per second");
            }
            GeneratorSettings d = GeneratorSettings.DEMO;
            long parcels = a.longOption("parcels", d.parcels());
            long seed = a.longOption("seed", d.seed());
            long maxEvents = a.longOption("max-events", Long.MAX_VALUE);
            LocalDate day;
            try {
                day = LocalDate.parse(a.option("day", LocalDate.now(a.config.zoneOffset()).toString()));
            } catch (RuntimeException e) {
                throw new ConfigException("day", "must be a date yyyy-MM-dd");
            }
            String topic = a.config.kafka().scanEventsTopic();
            TrafficSimulator sim = new TrafficSimulator(NetworkModel.from(a.config), day, a.config.zoneOffset(), parcels, seed, 0, 1);
            System.out.println("generating " + parcels + " parcels of " + day + " into " + topic + " at " + rate
                    + " events/s");
            AtomicLong failed = new AtomicLong();
            long sent = 0;
            long start = System.nanoTime();
            long lastReport = start;
            try (KafkaProducer<byte[], byte[]> producer =
                    new KafkaProducer<>(a.producerProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
                while (sim.hasNext() && sent < maxEvents) {
                    byte[] value = sim.next();
                    producer.send(new ProducerRecord<>(topic, ToolArgs.waybillKey(value), value), (m, e) -> {
                        if (e != null && failed.getAndIncrement() == 0) {
                            System.err.println("generate-to-kafka: records are not being written: " + e.getMessage());
                        }
                    });
                    sent++;
                    // pace: event n leaves no earlier than n / rate seconds after the start
                    long due = start + sent * TimeUnit.SECONDS.toNanos(1) / rate;
                    long now = System.nanoTime();
                    if (due > now) {
                        TimeUnit.NANOSECONDS.sleep(due - now);
                    }
                    if (now - lastReport >= TimeUnit.SECONDS.toNanos(10)) {
                        lastReport = now;
                        System.out.printf("%,d events sent (%.0f/s)%n", sent, sent * 1e9 / (now - start));
                    }
                }
                producer.flush();
            }
            System.out.printf("done: %,d events sent, %,d failed%n", sent, failed.get());
        });
    }
}
