package com.expressmonitor.tools;

import com.expressmonitor.config.ConfigException;
import com.expressmonitor.generator.GeneratorSettings;
import com.expressmonitor.generator.NetworkModel;
import com.expressmonitor.generator.TrafficSimulator;
import com.expressmonitor.io.StartupCheckException;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes the built-in simulation's scans (the traffic of {@code --source generator}: a day of parcels across the
 * configured districts, with surges, missed scans, exceptions and a few duplicate, late and garbled records) as a
 * JSON-lines file to replay, or as a folder of N files, each a share of the parcels, for a replay of many input
 * partitions.
 *
 * <pre>
 * java -cp target/express-traffic-monitor.jar com.expressmonitor.tools.GenerateToFile --out scans.jsonl
 *     [--parcels 60000] [--day 2026-11-11] [--seed 11] [--splits 1] [--overwrite] [--config FILE]
 * </pre>
 */
public final class GenerateToFile {
    private GenerateToFile() {}

    public static void main(String[] args) {
        ToolArgs.run("generate-to-file", () -> generate(args));
    }

    static void generate(String[] args) throws IOException {
        ToolArgs a = ToolArgs.parse(args, Set.of("out", "parcels", "day", "seed", "splits"), Set.of("overwrite"));
        String outOption = a.option("out", null);
        if (outOption == null) {
            throw new ConfigException("out", "is required: the file to write (a folder with --splits above 1)");
        }
        GeneratorSettings d = GeneratorSettings.DEMO;
        long parcels = a.longOption("parcels", d.parcels());
        long seed = a.longOption("seed", d.seed());
        long splits = a.longOption("splits", 1);
        if (parcels < 1) {
            throw new ConfigException("parcels", "must be at least 1, got " + parcels);
        }
        if (splits < 1 || splits > 1000) {
            throw new ConfigException("splits", "must be from 1 to 1000, got " + splits);
        }
        LocalDate day;
        try {
            day = LocalDate.parse(a.option("day", d.day()));
        } catch (RuntimeException e) {
            throw new ConfigException("day", "must be a date yyyy-MM-dd, got '" + a.option("day", "") + "'");
        }
        boolean overwrite = Boolean.parseBoolean(a.option("overwrite", "false"));
        Path out = Path.of(outOption);
        prepare(out, splits > 1, overwrite);
        NetworkModel network = NetworkModel.from(a.config);
        long written = 0;
        for (int split = 0; split < splits; split++) {
            Path file = splits > 1 ? out.resolve("part-" + (split + 1) + ".jsonl") : out;
            TrafficSimulator sim = new TrafficSimulator(network, day, a.config.zoneOffset(), parcels, seed, split,
                    (int) splits);
            try (OutputStream w = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                while (sim.hasNext()) {
                    w.write(sim.next());
                    w.write('\n');
                    written++;
                }
            }
        }
        System.out.printf("wrote %,d scans of %,d parcels (%s, seed %d) to %s%s%n", written, parcels, day, seed, out,
                splits > 1 ? " (" + splits + " files)" : "");
    }

    /** Refuses to write over an existing file or folder unless {@code --overwrite}; creates the folder. */
    private static void prepare(Path out, boolean folder, boolean overwrite) throws IOException {
        if (Files.exists(out) && !overwrite) {
            throw new StartupCheckException(2, out + " exists; add --overwrite to replace it, or choose another --out");
        }
        if (folder) {
            if (Files.isRegularFile(out)) {
                Files.delete(out);
            }
            if (Files.isDirectory(out)) {
                try (Stream<Path> files = Files.list(out)) {
                    List<Path> all = files.toList();
                    for (Path p : all) {
                        if (!p.getFileName().toString().matches("part-\\d+\\.jsonl") || Files.isDirectory(p)) {
                            throw new StartupCheckException(2, out + " holds files that this tool did not write ("
                                    + p.getFileName() + "), so --overwrite does not replace it; choose another --out");
                        }
                    }
                    for (Path p : all) {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(out);
        } else {
            if (Files.isDirectory(out)) {
                throw new StartupCheckException(2, out + " is a folder; give a file after --out, or add --splits N");
            }
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        }
    }
}
