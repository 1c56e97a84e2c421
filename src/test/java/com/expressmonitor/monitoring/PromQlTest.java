package com.expressmonitor.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The selectors the monitoring tests read out of PromQL expressions. */
class PromQlTest {
    @Test
    void selectorsSkipFunctionsOperatorsModifiersStringsAndDurations() {
        String expr = "sum by (job, job_name) (rate(a_total{job=~\"$job\", x=\"}{\"}[5m] offset 1m)) / on (job) "
                + "group_left(z) max(b) > bool 0.5 and absent(c{d=\"e\"} == 1) or vector(0) unless time() - d_2:rec";
        assertThat(PromQl.selectors(expr)).containsExactly("a_total{job=~\"$job\", x=\"}{\"}", "b", "c{d=\"e\"}",
                "d_2:rec");
        assertThat(PromQl.selectors("max(x) by (district, kind)")).containsExactly("x");
    }
}
