package com.expressmonitor.generator;

import java.io.Serializable;

/**
 * What the generator simulates: which local day, how many parcels, from which seed.
 *
 * @param day local date {@code yyyy-MM-dd}
 */
public record GeneratorSettings(long seed, long parcels, String day) implements Serializable {
    public static final GeneratorSettings DEMO = new GeneratorSettings(11, 60_000, "2026-11-11");
}
