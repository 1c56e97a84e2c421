package com.expressmonitor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Options, flags and the nearest valid names to a mistyped option. */
class ArgumentPairsTest {
    @Test
    void flagsTakeNoValueAndPairsDo() {
        assertThat(ArgumentPairs.parse(new String[] {"--overwrite", "--sink", "dir:out", "--window.size=15m", "-h"},
                Set.of("overwrite", "help"))).isEqualTo(Map.of("overwrite", "true", "sink", "dir:out",
                "window.size", "15m", "help", "true"));
        assertThat(ArgumentPairs.parse(new String[] {"--generator.seed", "-5"})).isEqualTo(Map.of("generator.seed", "-5"));
        assertThatThrownBy(() -> ArgumentPairs.parse(new String[] {"--source", "--sink", "console"}))
                .hasMessage("option --source needs a value, as in --source VALUE (--help lists the options)");
    }

    @Test
    void nearestNamesComeBestFirst() {
        List<String> valid = List.of("source", "sink", "config", "parallelism", "window.size", "window.timezone");
        assertThat(ArgumentPairs.nearest("sourc", valid)).containsExactly("source");
        assertThat(ArgumentPairs.nearest("paralelism", valid)).containsExactly("parallelism");
        assertThat(ArgumentPairs.nearest("window", valid)).containsExactly("window.size", "window.timezone");
        assertThat(ArgumentPairs.nearest("xyzzy-plugh", valid)).isEmpty();
        assertThat(ArgumentPairs.didYouMean(List.of("a", "b", "c"))).isEqualTo("did you mean --a, --b or --c?");
    }
}
