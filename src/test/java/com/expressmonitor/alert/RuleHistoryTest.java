package com.expressmonitor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.List;

/** Which version of the rules a window uses, and which versions no window can need any more. */
class RuleHistoryTest {
    private static final long MIN = Long.MIN_VALUE;

    private static RuleVersion v(long version, long from) {
        return new RuleVersion(version, from, "{}");
    }

    @Test
    void aWindowUsesTheNewestVersionInEffectAtItsStart() {
        RuleHistory h = RuleHistory.of(List.of(v(3, 600), v(0, MIN), v(2, 300), v(1, MIN)));
        assertThat(h.inForce(MIN).version).isEqualTo(1);
        assertThat(h.inForce(299).version).isEqualTo(1);
        assertThat(h.inForce(300).version).isEqualTo(2);
        assertThat(h.inForce(599).version).isEqualTo(2);
        assertThat(h.inForce(600).version).isEqualTo(3);
        assertThat(h.inForce(Long.MAX_VALUE).version).isEqualTo(3);
        assertThat(h.newest().version).isEqualTo(3);
        assertThat(RuleHistory.of(List.of(v(4, 600))).inForce(599)).isNull();
        assertThat(RuleHistory.of(List.of()).newest()).isNull();
    }

    @Test
    void versionsBeforeTheOneInEffectAtTheEarliestWindowLeftAreSuperseded() {
        RuleHistory h = RuleHistory.of(List.of(v(0, MIN), v(1, MIN), v(2, 300), v(3, 600)));
        assertThat(h.supersededBefore(MIN)).containsExactly(0L);
        assertThat(h.supersededBefore(299)).containsExactly(0L);
        assertThat(h.supersededBefore(300)).containsExactly(0L, 1L);
        assertThat(h.supersededBefore(700)).containsExactly(0L, 1L, 2L);
        assertThat(RuleHistory.of(List.of(v(5, 600))).supersededBefore(0)).isEmpty();
    }
}
