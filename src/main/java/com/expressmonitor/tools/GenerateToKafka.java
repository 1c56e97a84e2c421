package com.expressmonitor.tools;

import com.expressmonitor.config.ConfigException;
import com.expressmonitor.generator.GeneratorSettings;
import com.expressmonitor.generator.LiveTraffic;
import com.expressmonitor.generator.NetworkModel;
import com.expressmonitor.generator.TrafficSimulator;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Writes realistic scan traffic (the built-in simulator: parcels moving through real districts, with surges, missed
 * scans, exceptions and a few duplicate, late and garbled records) into the input topic, keyed by waybill number.
 *
 * <p>Two modes:
 * <ul>
 *   <li>{@code --live}: scans follow the clock, their event times near now, as a real network would send them; the
 *       simulated day starts {@code --hours-before} hours ago (default 21, so that the evening surge is under way),
 *       whose scans are sent at once, and then one day follows the other until the tool is stopped.</li>
 *   <li>otherwise one simulated day ({@code --day}, default today) as fast as {@code --rate} events/s allows, ending
 *       when its parcels are all delivered, or after {@code --max-events}: for a replay or a catch-up.</li>
 * </ul>
 *
 * <pre>
 * java -cp express-traffic-monitor.jar com.expressmonitor.tools.GenerateToKafka --live [--parcels 60000]
 *     [--hours-before 21] [--seed 11] [--max-events N] [--config FILE] [--kafka.bootstrap-servers HOST:PORT]
 * java -cp express-traffic-monitor.jar com.expressmonitor.tools.GenerateToKafka [--rate 2000] [--parcels 60000]
 *     [--day 2026-11-11] [--seed 11] [--max-events N] ...
 * </pre>
 */
public final class GenerateToKafka {
    private GenerateToKafka() {}

    public static void main(String[] args) {
        ToolArgs.run("generate-to-kafka", () -> generate(args));
    }

    /** Generates and sends the traffic that {@code args} ask for (what {@link #main} runs, for tests). */
    static void generate(String[] args) throws Exception {
        ToolArgs a = ToolArgs.parse(args, Set.of("rate", "parcels", "day", "seed", "max-events", "hours-before"),
                Set.of("live"));
        boolean live = Boolean.parseBoolean(a.option("live", "false"));
        GeneratorSettings d = GeneratorSettings.DEMO;
        long parcels = a.longOption("parcels", d.parcels());
        long seed = a.longOption("seed", d.seed());
        long maxEvents = a.longOption("max-events", Long.MAX_VALUE);
        if (parcels < 1) {
            throw new ConfigException("parcels", "must be at least 1");
        }
        String topic = a.config.kafka().scanEventsTopic();
        NetworkModel network = NetworkModel.from(a.config);
        Pacer pacer;
        if (live) {
            if (a.options.containsKey("rate") || a.options.containsKey("day")) {
                throw new ConfigException("live", "follows the clock; --rate and --day are for one simulated day "
                        + "sent at a fixed rate (leave out --live for that)");
            }
            long hoursBefore = a.longOption("hours-before", 21);
            if (hoursBefore < 0 || hoursBefore > 24) {
                throw new ConfigException("hours-before", "must be between 0 and 24");
            }
            LiveTraffic traffic = new LiveTraffic(network, a.config.zoneOffset(), parcels, seed,
                    System.currentTimeMillis(), (int) hoursBefore);
            System.out.println("live traffic of " + parcels + " parcels a day into " + topic + ": the simulated day "
                    + "started " + Instant.ofEpochMilli(traffic.firstDayStart()).atOffset(a.config.zoneOffset())
                    .toLocalDateTime() + " (local), its scans so far are sent at once, then as the clock reaches "
                    + "them (Ctrl-C to stop)");
            pacer = new Pacer(traffic::hasNext, traffic::next, () -> {
                long due = traffic.nextReportTime() - System.currentTimeMillis();
                return due > 0 ? TimeUnit.MILLISECONDS.toNanos(due) : 0;
            });
        } else {
            long rate = a.longOption("rate", 2000);
            if (rate < 1) {
                throw new ConfigException("rate", "must be at least 1 event per second");
            }
            LocalDate day;
            try {
                day = LocalDate.parse(a.option("day", LocalDate.now(a.config.zoneOffset()).toString()));
            } catch (RuntimeException e) {
                throw new ConfigException("day", "must be a date yyyy-MM-dd");
            }
            TrafficSimulator sim = new TrafficSimulator(network, day, a.config.zoneOffset(), parcels, seed, 0, 1);
            System.out.println("generating " + parcels + " parcels of " + day + " into " + topic + " at " + rate
                    + " events/s");
            long start = System.nanoTime();
            long[] sent = {0};
            pacer = new Pacer(sim::hasNext, () -> {
                sent[0]++;
                return sim.next();
            }, () -> Math.max(0, start + sent[0] * TimeUnit.SECONDS.toNanos(1) / rate - System.nanoTime()));
        }
        send(a, topic, pacer, maxEvents);
    }

    /** Where the records come from and how long to wait before the next one. */
    private record Pacer(BooleanSupplier hasNext, Supplier<byte[]> next, LongSupplier nanosUntilNext) {}

    private static void send(ToolArgs a, String topic, Pacer pacer, long maxEvents) throws Exception {
        Delivery delivery = new Delivery("generate-to-kafka");
        long sent = 0;
        long start = System.nanoTime();
        long lastReport = start;
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(a.producerProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
            while (pacer.hasNext().getAsBoolean() && sent < maxEvents) {
                long wait = pacer.nanosUntilNext().getAsLong();
                if (wait > 0) {
                    Pause.sleep(Math.min(wait, TimeUnit.SECONDS.toNanos(1)), producer);
                    continue;
                }
                byte[] value = pacer.next().get();
                producer.send(new ProducerRecord<>(topic, ToolArgs.waybillKey(value), value), delivery);
                sent++;
                long now = System.nanoTime();
                if (now - lastReport >= TimeUnit.SECONDS.toNanos(10)) {
                    lastReport = now;
                    System.out.printf("%,d events sent (%.0f/s)%n", sent, sent * 1e9 / (now - start));
                }
            }
            producer.flush();
        }
        System.out.printf("done: %,d events sent, %,d failed%n", sent, delivery.failed());
        delivery.confirm(sent, topic);
    }
}
