package com.expressmonitor.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.Set;

/** Configured districts always keep their label; the first others take the free ones; the rest are "other". */
class DistrictLabelsTest {
    @Test
    void configuredFirstComeThenOther() {
        DistrictLabels labels = new DistrictLabels(Set.of("330482", "330402"), 2);
        assertThat(labels.labelOf("110101")).isEqualTo("110101");
        assertThat(labels.labelOf("330482")).isEqualTo("330482");
        assertThat(labels.labelOf("110102")).isEqualTo("110102");
        assertThat(labels.labelOf("110103")).isEqualTo("other");
        assertThat(labels.isOther("110104")).isTrue();
        // decisions stay: earlier codes keep their labels, configured ones get theirs after the bound is reached
        assertThat(labels.labelOf("110101")).isEqualTo("110101");
        assertThat(labels.labelOf("110103")).isEqualTo("other");
        assertThat(labels.labelOf("330402")).isEqualTo("330402");
        assertThat(labels.isOther("330402")).isFalse();
    }
}
